"""Final decisions by the planning office on the priorities the kecamatan forwarded."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from proposals.models import Decision, Event, Proposal, Status
from proposals.services import WorkflowError, decision_record


@pytest.fixture
def forwarded(proposal_kenari):
    Proposal.objects.filter(pk=proposal_kenari.pk).update(status=Status.KECAMATAN_PRIORITY)
    proposal_kenari.refresh_from_db()
    return proposal_kenari


def test_the_planning_office_accommodates_a_priority_in_the_renja(forwarded, suban):
    decision_record(proposal=forwarded, kind=Decision.Kind.RENJA, by=suban)
    forwarded.refresh_from_db()
    assert forwarded.status == Status.RENJA
    event = forwarded.events.get(action=Event.Action.DECIDED)
    assert event.actor_office == "Suku Badan Perencanaan Pembangunan Kota Jakarta Pusat"
    assert "Renja" in event.note


def test_not_accommodated_needs_a_reason(forwarded, suban):
    with pytest.raises(WorkflowError, match="alasan"):
        decision_record(proposal=forwarded, kind=Decision.Kind.NOT_ACCOMMODATED, by=suban)
    decision_record(
        proposal=forwarded,
        kind=Decision.Kind.NOT_ACCOMMODATED,
        reason="Lahan bukan aset Pemprov.",
        by=suban,
    )
    assert forwarded.decision.reason == "Lahan bukan aset Pemprov."


def test_merging_names_another_proposal_of_the_cycle(forwarded, proposal_paseban, suban):
    with pytest.raises(WorkflowError, match="usulan lain"):
        decision_record(proposal=forwarded, kind=Decision.Kind.MERGED, by=suban)
    decision_record(
        proposal=forwarded, kind=Decision.Kind.MERGED, merged_into=proposal_paseban, by=suban
    )
    forwarded.refresh_from_db()
    assert forwarded.status == Status.MERGED
    assert proposal_paseban.code in forwarded.events.get(action="decided").note


def test_the_database_refuses_a_merge_without_target(forwarded, suban):
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(proposal=forwarded, kind="merged", decided_by=suban)


@pytest.mark.parametrize("who", ["lurah_kenari", "camat_senen", "dewan", "suban_jaksel"])
def test_only_the_planning_office_of_the_kota_decides(request, forwarded, who):
    with pytest.raises(WorkflowError):
        decision_record(proposal=forwarded, kind="renja", by=request.getfixturevalue(who))


def test_a_proposal_not_forwarded_is_not_decided(proposal_kenari, suban):
    with pytest.raises(WorkflowError, match="prioritas kecamatan"):
        decision_record(proposal=proposal_kenari, kind="renja", by=suban)


def test_decided_through_the_page(client, forwarded, suban):
    client.force_login(suban)
    page = client.get(forwarded.get_absolute_url()).content.decode()
    assert "Catat keputusan akhir" in page
    url = reverse("proposals:decide", args=[forwarded.pk])
    response = client.post(url, {"kind": "not_accommodated", "reason": ""})
    assert response.status_code == 400
    assert "Tuliskan alasan" in response.content.decode()
    response = client.post(url, {"kind": "budget"})
    assert response.status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.status == Status.CURRENT_BUDGET
    assert (
        "Diakomodir dalam anggaran berjalan"
        in client.get(forwarded.get_absolute_url()).content.decode()
    )


def test_changing_a_decision_starts_from_the_one_in_force(
    client, forwarded, proposal_paseban, suban
):
    decision_record(
        proposal=forwarded,
        kind=Decision.Kind.MERGED,
        merged_into=proposal_paseban,
        reason="Lokasi sama.",
        by=suban,
    )
    client.force_login(suban)
    form = client.get(forwarded.get_absolute_url()).context["decision_form"]
    assert [form[name].value() for name in ("kind", "merged_into", "reason")] == [
        "merged",
        proposal_paseban.code,
        "Lokasi sama.",
    ]


def test_another_kota_gets_404_on_decide(client, forwarded, suban_jaksel):
    client.force_login(suban_jaksel)
    url = reverse("proposals:decide", args=[forwarded.pk])
    assert client.post(url, {"kind": "renja"}).status_code == 404
