"""Final decisions by the planning office on the priorities the kecamatan forwarded."""

import pytest
from django.db import IntegrityError, transaction

from proposals.models import Decision, Event, Status
from proposals.services import WorkflowError, decision_record


def test_the_planning_office_accommodates_a_priority_in_the_renja(forwarded, suban, sub_activity):
    decision_record(
        proposal=forwarded, kind=Decision.Kind.RENJA, sub_activity=sub_activity, by=suban
    )
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
def test_only_the_planning_office_of_the_kota_decides(request, forwarded, sub_activity, who):
    with pytest.raises(WorkflowError, match="Suku Badan Perencanaan"):
        decision_record(
            proposal=forwarded,
            kind="renja",
            sub_activity=sub_activity,
            by=request.getfixturevalue(who),
        )


def test_a_proposal_not_forwarded_is_not_decided(proposal_kenari, suban, sub_activity):
    with pytest.raises(WorkflowError, match="prioritas kecamatan"):
        decision_record(proposal=proposal_kenari, kind="renja", sub_activity=sub_activity, by=suban)
