"""The planning office decides many proposals at once from the table: select, decide with one
reason, confirm; all are decided in one transaction, or none."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.services import rw_ensure
from notices.models import Notice
from proposals.decisions import MAX_BATCH
from proposals.models import Decision, Event, Realisation, Status
from proposals.services import WorkflowError, decision_record_many
from tests.proposal_fixtures import make_proposal

URL = reverse("proposals:decide_many")


@pytest.fixture
def priorities(cycle, rw_kenari, betonisasi, rw_kenari_001):
    """Three priorities of Kenari forwarded by the kecamatan, on two RWs."""
    return [
        make_proposal(
            cycle, rw_kenari[i % 2], betonisasi, rw_kenari_001, status=Status.KECAMATAN_PRIORITY
        )
        for i in range(3)
    ]


def chosen(proposals, **fields) -> dict:
    return {"usulan": [p.pk for p in proposals], **fields}


def test_the_table_offers_the_decision_to_the_planning_office_only(
    client, suban, lurah_kenari, priorities
):
    client.force_login(suban)
    page = client.get(reverse("proposals:list")).content.decode()
    assert f'name="usulan" value="{priorities[0].pk}"' in page
    assert 'id="bulk"' in page and reverse("proposals:decide_many") in page
    client.force_login(lurah_kenari)
    page = client.get(reverse("proposals:list")).content.decode()
    # The lurah's checkboxes are for validation (test_bulk_validation), on submitted rows only.
    assert f'name="usulan" value="{priorities[0].pk}"' not in page
    assert reverse("proposals:decide_many") not in page
    client.force_login(suban)
    export = client.get(reverse("proposals:list"), {"_export": "csv"}).content.decode()
    assert "usulan" not in export.splitlines()[0].lower()


def test_selected_proposals_are_decided_after_confirmation(
    client, suban, priorities, sub_activity, rw_kenari_001
):
    client.force_login(suban)
    form_page = client.post(URL, chosen(priorities))  # straight from the table
    assert form_page.status_code == 200
    assert all(p.code in form_page.content.decode() for p in priorities)
    fields = chosen(priorities, kind="renja", sub_activity=sub_activity.pk, reason="Prioritas.")
    confirmation = client.post(URL, fields)
    assert confirmation.status_code == 200
    content = confirmation.content.decode()
    assert "Tidak dapat dibatalkan" in content and 'name="confirmed"' in content
    assert all(p.code in content for p in priorities)
    assert not Decision.objects.exists()  # asked once more, nothing recorded yet

    response = client.post(URL, {**fields, "confirmed": "1"})

    assert response.status_code == 302
    decisions = Decision.objects.filter(proposal__in=priorities)
    assert {d.kind for d in decisions} == {"renja"} and decisions.count() == 3
    assert {d.amount for d in decisions} == {priorities[0].cost}
    assert Realisation.objects.filter(proposal__in=priorities).count() == 3
    for proposal in priorities:
        proposal.refresh_from_db()
        assert proposal.status == Status.RENJA
        assert proposal.events.filter(action=Event.Action.DECIDED).count() == 1
    content_type = ContentType.objects.get_for_model(Decision)
    logged = LogEntry.objects.filter(content_type=content_type, actor=suban)
    assert sorted(int(e.object_pk) for e in logged) == sorted(d.pk for d in decisions)
    # The RW of RW 001 holds two of the three; each proposal is its own notice.
    notices = Notice.objects.filter(user=rw_kenari_001, kind="decided")
    assert sorted(n.subject.split(":")[0] for n in notices) == sorted(
        p.code for p in priorities if p.rw_id == rw_kenari_001.assignments.get().area_id
    )
    assert all("Prioritas." in n.text for n in notices)


def test_one_proposal_that_may_not_be_decided_refuses_the_whole_batch(
    client, suban, priorities, proposal_kenari
):
    client.force_login(suban)
    fields = chosen([*priorities, proposal_kenari], kind="not_accommodated", reason="Habis.")
    response = client.post(URL, {**fields, "confirmed": "1"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Tidak ada yang diputuskan" in content and proposal_kenari.code in content
    assert priorities[0].code not in content.split("Tidak ada yang diputuskan")[1].split("<")[0]
    assert not Decision.objects.exists() and not Event.objects.filter(action="decided").exists()


def test_a_refusal_needs_its_reason_before_anything(client, suban, priorities):
    client.force_login(suban)
    response = client.post(URL, chosen(priorities, kind="not_accommodated", confirmed="1"))
    assert response.status_code == 400
    assert "Tuliskan alasan" in response.content.decode()
    assert not Decision.objects.exists()


def test_the_selection_is_capped(client, suban, priorities):
    client.force_login(suban)
    ids = list(range(1, MAX_BATCH + 2))
    response = client.post(URL, {"usulan": ids, "kind": "merged"}, follow=True)
    assert "Paling banyak 500 usulan" in response.content.decode()
    assert not Decision.objects.exists()


def test_nothing_selected_goes_back_to_the_table(client, suban, priorities):
    client.force_login(suban)
    response = client.post(URL, {"usulan": ["x", "-1"]})
    assert response.status_code == 302 and response.url == reverse("proposals:list")


@pytest.mark.parametrize("who", ["suban_jaksel", "lurah_kenari", "camat_senen", "dewan"])
def test_outsiders_and_other_roles_get_404(request, client, priorities, who):
    client.force_login(request.getfixturevalue(who))
    fields = chosen(priorities, kind="not_accommodated", reason="Habis.", confirmed="1")
    assert client.post(URL, fields).status_code == 404
    assert not Decision.objects.exists()


def test_the_service_refuses_another_kotas_planning_office(suban_jaksel, priorities):
    with pytest.raises(WorkflowError, match=priorities[0].code):
        decision_record_many(
            proposals=priorities, kind="not_accommodated", reason="Habis.", by=suban_jaksel
        )


def test_deciding_100_proposals_takes_a_bounded_number_of_queries(
    suban, cycle, kenari, betonisasi, superuser, sub_activity, rw_kenari_001
):
    """Measured: 15 queries for 10 proposals and for 100 on SQLite (its parameter limit splits
    one insert in two); nothing is asked once per proposal."""
    rws = rw_ensure(kelurahan=kenari, count=10)

    def decided(n: int) -> int:
        batch = [
            make_proposal(cycle, rws[i % 10], betonisasi, superuser, status="kec_priority")
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as captured:
            decision_record_many(proposals=batch, kind="renja", sub_activity=sub_activity, by=suban)
        assert Decision.objects.filter(proposal__in=batch).count() == n
        return len(captured)

    small, large = decided(10), decided(100)
    assert large <= small + 3 and large <= 20


def test_the_confirmation_queries_do_not_grow_with_the_selection(
    client, suban, cycle, rw_kenari, betonisasi, rw_kenari_001, sub_activity
):
    client.force_login(suban)

    def count(n: int) -> int:
        batch = [
            make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001, status="kec_priority")
            for _ in range(n)
        ]
        fields = chosen(batch, kind="renja", sub_activity=sub_activity.pk)
        with CaptureQueriesContext(connection) as captured:
            assert client.post(URL, fields).status_code == 200
        return len(captured)

    assert count(3) == count(30)
