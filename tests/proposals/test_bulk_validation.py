"""The lurah accepts, or returns with one note, many submitted proposals at once from the
table: select, choose, confirm; all are validated in one transaction, or none."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.services import rw_ensure
from notices.models import Notice
from proposals.decisions import MAX_BATCH
from proposals.models import Event, Proposal, Status
from proposals.services import WorkflowError, proposals_validate
from sessions.models import Candidate
from tests.proposal_fixtures import make_proposal

URL = reverse("proposals:validate_many")


@pytest.fixture
def submitted(cycle, rw_kenari, betonisasi, rw_kenari_001):
    """Three proposals of Kenari awaiting validation, on two RWs."""
    return [make_proposal(cycle, rw_kenari[i % 2], betonisasi, rw_kenari_001) for i in range(3)]


def chosen(proposals, step: str, **fields) -> dict:
    return {"usulan": [p.pk for p in proposals], "langkah": step, **fields}


def statuses(proposals) -> set[str]:
    return set(
        Proposal.objects.filter(pk__in=[p.pk for p in proposals]).values_list("status", flat=True)
    )


def told(proposals, kind: str) -> bool:
    """Whether each proposal's RW was told, where it has someone to tell (RW 001 has its ketua;
    RW 002 has nobody in the cast)."""
    expected = {p.code for p in proposals if p.rw.code.endswith(".001")}
    subjects = Notice.objects.filter(kind=kind).values_list("subject", flat=True)
    return {subject.split(":")[0] for subject in subjects} == expected and len(expected) == 2


def test_the_lurah_gets_checkboxes_on_submitted_rows_only(
    client, lurah_kenari, submitted, cycle, rw_kenari, betonisasi, rw_kenari_001
):
    accepted = make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001, status=Status.ACCEPTED)
    client.force_login(lurah_kenari)
    page = client.get(reverse("proposals:list")).content.decode()
    assert all(f'name="usulan" value="{p.pk}"' in page for p in submitted)
    assert f'name="usulan" value="{accepted.pk}"' not in page
    assert 'value="terima"' in page and 'value="kembalikan"' in page
    assert reverse("proposals:decide_many") not in page  # the planning office's, not the lurah's


def test_the_lurah_accepts_three_after_confirmation(
    client, lurah_kenari, submitted, kelompok_kenari
):
    client.force_login(lurah_kenari)
    confirmation = client.post(URL, chosen(submitted, "terima"))  # straight from the table
    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert "Terima 3 usulan" in page and all(p.code in page for p in submitted)
    assert statuses(submitted) == {Status.SUBMITTED}  # nothing yet
    done = client.post(URL, chosen(submitted, "terima", confirmed="1", note="Lengkap."))
    assert done.status_code == 302 and done.url == reverse("proposals:list")
    assert statuses(submitted) == {Status.ACCEPTED}
    events = Event.objects.filter(proposal__in=submitted, action=Event.Action.ACCEPTED)
    assert sorted(e.proposal_id for e in events) == sorted(p.pk for p in submitted)
    assert {(e.actor_office, e.note) for e in events} == {("Lurah Kenari", "Lengkap.")}
    kind = ContentType.objects.get_for_model(Proposal)
    audited = LogEntry.objects.filter(
        content_type=kind, object_pk__in=[str(p.pk) for p in submitted]
    )
    assert audited.filter(changes__icontains="accepted").count() == 3
    assert told(submitted, "proposal_accepted")
    # The open sidang kelompok of Kenari takes each on its table.
    assert Candidate.objects.filter(sidang=kelompok_kenari, proposal__in=submitted).count() == 3
    follow = client.get(reverse("proposals:list"))
    assert "3 usulan diterima." in follow.content.decode()


def test_the_lurah_returns_many_with_one_note(client, lurah_kenari, submitted):
    client.force_login(lurah_kenari)
    assert client.post(URL, chosen(submitted, "kembalikan")).status_code == 200
    without_note = client.post(URL, chosen(submitted, "kembalikan", confirmed="1", note=" "))
    assert without_note.status_code == 400
    assert statuses(submitted) == {Status.SUBMITTED}
    done = client.post(
        URL, chosen(submitted, "kembalikan", confirmed="1", note="Lengkapi foto lokasi.")
    )
    assert done.status_code == 302
    assert statuses(submitted) == {Status.RETURNED}
    assert not Proposal.objects.filter(pk__in=[p.pk for p in submitted], submitted_at__isnull=False)
    events = Event.objects.filter(proposal__in=submitted, action=Event.Action.RETURNED)
    assert [e.note for e in events] == ["Lengkapi foto lokasi."] * 3
    assert told(submitted, "proposal_returned")


def test_one_proposal_already_validated_refuses_the_whole_batch(
    client, lurah_kenari, submitted, cycle, rw_kenari, betonisasi, rw_kenari_001
):
    accepted = make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001, status=Status.ACCEPTED)
    client.force_login(lurah_kenari)
    response = client.post(URL, chosen([*submitted, accepted], "terima", confirmed="1"))
    assert response.status_code == 400
    assert accepted.code in response.content.decode()
    assert statuses(submitted) == {Status.SUBMITTED}
    assert not Event.objects.filter(action=Event.Action.ACCEPTED).exists()


def test_an_unknown_step_is_a_bad_request(client, lurah_kenari, submitted):
    client.force_login(lurah_kenari)
    assert client.post(URL, chosen(submitted, "hapus", confirmed="1")).status_code == 400
    assert statuses(submitted) == {Status.SUBMITTED}


def test_the_selection_is_capped(client, lurah_kenari, submitted):
    client.force_login(lurah_kenari)
    response = client.post(URL, {"usulan": range(1, MAX_BATCH + 2), "langkah": "terima"})
    assert response.status_code == 302


def test_nothing_selected_goes_back_to_the_table(client, lurah_kenari, submitted):
    client.force_login(lurah_kenari)
    response = client.post(URL, {"langkah": "terima", "confirmed": "1"})
    assert response.status_code == 302 and response.url == reverse("proposals:list")


@pytest.mark.parametrize("who", ["lurah_paseban", "rw_kenari_001", "camat_senen", "suban", "dewan"])
def test_another_kelurahan_and_other_roles_get_404(request, client, submitted, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(URL, chosen(submitted, "terima", confirmed="1")).status_code == 404
    assert statuses(submitted) == {Status.SUBMITTED}


def test_the_service_refuses_another_kelurahans_lurah(lurah_paseban, submitted):
    with pytest.raises(WorkflowError, match=submitted[0].code):
        proposals_validate(proposals=submitted, accept=True, by=lurah_paseban)


def test_validating_100_takes_a_bounded_number_of_queries(
    lurah_kenari, cycle, kenari, betonisasi, superuser
):
    """Nothing is asked once per proposal but the sidang kelompok's check for each accepted
    one (none is open here)."""
    rws = rw_ensure(kelurahan=kenari, count=10)

    def returned(n: int) -> int:
        batch = [make_proposal(cycle, rws[i % 10], betonisasi, superuser) for i in range(n)]
        with CaptureQueriesContext(connection) as captured:
            proposals_validate(proposals=batch, accept=False, by=lurah_kenari, note="Ulangi.")
        assert statuses(batch) == {Status.RETURNED}
        return len(captured)

    small, large = returned(10), returned(100)
    assert large <= small + 3


def test_the_confirmation_queries_do_not_grow_with_the_selection(
    client, lurah_kenari, cycle, rw_kenari, betonisasi, rw_kenari_001
):
    client.force_login(lurah_kenari)

    def count(n: int) -> int:
        batch = [make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001) for _ in range(n)]
        with CaptureQueriesContext(connection) as captured:
            assert client.post(URL, chosen(batch, "terima")).status_code == 200
        return len(captured)

    assert count(3) == count(30)
