"""What an accommodated decision records for the Renja team, the realisation it begins, and a
merge both journeys show."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from notices.models import Notice
from proposals.models import (
    Decision,
    Event,
    Progress,
    Realisation,
    Status,
    SubActivity,
    Survey,
)
from proposals.services import WorkflowError, decision_record
from tests.proposal_fixtures import open_cycle


def test_an_accommodated_decision_takes_the_defaults_and_begins_the_realisation(
    forwarded, suban, sub_activity
):
    decision = decision_record(
        proposal=forwarded, kind=Decision.Kind.RENJA, sub_activity=sub_activity, by=suban
    )
    assert decision.sub_activity == sub_activity
    assert decision.unit == forwarded.target_unit
    assert decision.amount == forwarded.cost  # no survey: the proposal's own estimate
    assert decision.budget_year == forwarded.cycle.plan_year == 2025
    realisation = Realisation.objects.get(proposal=forwarded)
    assert realisation.unit == forwarded.target_unit
    assert realisation.kecamatan_id == forwarded.kecamatan_id
    assert realisation.started_on == timezone.localdate()
    note = forwarded.events.get(action=Event.Action.DECIDED).note
    assert sub_activity.code in note and "tahun anggaran 2025" in note


def test_the_current_budget_takes_the_surveyed_cost_and_the_cycles_year(
    surveyed, suban, sub_activity
):
    surveyed.status = Status.KECAMATAN_PRIORITY
    surveyed.save(update_fields=["status"])
    decision = decision_record(
        proposal=surveyed, kind=Decision.Kind.CURRENT_BUDGET, sub_activity=sub_activity, by=suban
    )
    assert decision.amount == Survey.objects.get(proposal=surveyed).revised_cost != surveyed.cost
    assert decision.budget_year == 2024


def test_unit_amount_and_year_chosen_are_kept(forwarded, suban, sub_activity, sda):
    decision = decision_record(
        proposal=forwarded,
        kind=Decision.Kind.RENJA,
        sub_activity=sub_activity,
        unit=sda,
        amount=75_000_000,
        budget_year=2026,
        by=suban,
    )
    assert (decision.unit, decision.amount, decision.budget_year) == (sda, 75_000_000, 2026)
    assert forwarded.realisation.unit == sda


def test_accommodating_needs_a_sub_kegiatan_of_the_cycle_and_a_unit_of_the_kota(
    forwarded, suban, sub_activity, kota_jaksel, binamarga_jaksel
):
    with pytest.raises(WorkflowError, match="sub kegiatan"):
        decision_record(proposal=forwarded, kind=Decision.Kind.RENJA, by=suban)
    other = SubActivity.objects.create(
        cycle=open_cycle(kota_jaksel, "JS24"), **_names("9.99.99.9.99.0001")
    )
    with pytest.raises(WorkflowError, match="bukan dari siklus"):
        decision_record(proposal=forwarded, kind="renja", sub_activity=other, by=suban)
    with pytest.raises(WorkflowError, match="kota usulan"):
        decision_record(
            proposal=forwarded,
            kind="renja",
            sub_activity=sub_activity,
            unit=binamarga_jaksel,
            by=suban,
        )
    assert not Decision.objects.exists() and not Realisation.objects.exists()


def _names(code: str) -> dict:
    return {
        "program_code": code[:4],
        "program_name": "Program",
        "activity_code": code[:10],
        "activity_name": "Kegiatan",
        "code": code,
        "name": "Sub kegiatan",
    }


def test_other_decisions_clear_the_renja_fields_and_the_realisation(forwarded, suban, sub_activity):
    decision_record(proposal=forwarded, kind="renja", sub_activity=sub_activity, by=suban)
    decision = decision_record(
        proposal=forwarded, kind="not_accommodated", reason="Anggaran habis.", by=suban
    )
    assert (decision.sub_activity, decision.unit, decision.amount, decision.budget_year) == (
        None,
        None,
        None,
        None,
    )
    assert not Realisation.objects.filter(proposal=forwarded).exists()


def test_a_realisation_with_reports_keeps_its_decision(forwarded, suban, sub_activity, superuser):
    decision_record(proposal=forwarded, kind="renja", sub_activity=sub_activity, by=suban)
    Progress.objects.create(
        realisation=forwarded.realisation,
        stage="perencanaan",
        percent=10,
        reported_on=datetime.date.today(),
        recorded_by=superuser,
    )
    with pytest.raises(WorkflowError, match="Realisasi usulan ini sudah dilaporkan"):
        decision_record(proposal=forwarded, kind="not_accommodated", reason="Batal.", by=suban)
    forwarded.refresh_from_db()
    assert forwarded.status == Status.RENJA and forwarded.decision.kind == "renja"
    assert Realisation.objects.filter(proposal=forwarded).exists()


def test_the_database_refuses_renja_fields_on_a_refusal(forwarded, suban, sub_activity):
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            proposal=forwarded,
            kind="not_accommodated",
            reason="Tidak.",
            sub_activity=sub_activity,
            decided_by=suban,
        )


def test_the_rw_is_told_the_decision_and_its_reason(forwarded, suban, sub_activity, rw_kenari_001):
    decision_record(
        proposal=forwarded,
        kind="renja",
        sub_activity=sub_activity,
        reason="Sesuai prioritas kota.",
        by=suban,
    )
    notice = Notice.objects.get(user=rw_kenari_001, kind="decided")
    assert notice.subject.startswith(forwarded.code)
    assert "Diakomodir dalam Renja tahun berikutnya" in notice.text
    assert "Sesuai prioritas kota. Pagu anggaran Rp 54.000.000." in notice.text
    assert ".." not in notice.text
    assert notice.url == forwarded.get_absolute_url()


def test_a_merge_shows_in_both_journeys_and_on_both_pages(
    client, forwarded, proposal_paseban, suban
):
    decision_record(
        proposal=forwarded, kind="merged", merged_into=proposal_paseban, reason="Sama.", by=suban
    )
    joined = proposal_paseban.events.get(action=Event.Action.DECIDED)
    assert joined.note == f"Usulan {forwarded.code} digabung ke usulan ini"
    client.force_login(suban)
    target_page = client.get(proposal_paseban.get_absolute_url()).content.decode()
    assert forwarded.get_absolute_url() in target_page
    assert "Usulan yang digabung ke usulan ini" in target_page
    assert (
        proposal_paseban.get_absolute_url()
        in client.get(forwarded.get_absolute_url()).content.decode()
    )
    client.logout()
    tracker = client.get(reverse("tracker_proposal", args=[proposal_paseban.code])).content.decode()
    assert reverse("tracker_proposal", args=[forwarded.code]) in tracker
    assert f"Usulan {forwarded.code} digabung ke usulan ini" in tracker
    source = client.get(reverse("tracker_proposal", args=[forwarded.code])).content.decode()
    assert reverse("tracker_proposal", args=[proposal_paseban.code]) in source


def test_the_page_asks_for_the_renja_fields_and_confirms_them(
    client, forwarded, suban, sub_activity, sda
):
    client.force_login(suban)
    page = client.get(forwarded.get_absolute_url())
    form = page.context["decision_form"]
    assert form["unit"].value() == forwarded.target_unit_id
    assert form["amount"].value() == forwarded.cost
    url = reverse("proposals:decide", args=[forwarded.pk])
    chosen = {"kind": "renja", "sub_activity": sub_activity.pk, "unit": sda.pk, "amount": "1000"}
    confirmation = client.post(url, chosen).content.decode()
    assert sub_activity.code in confirmation and sda.name in confirmation
    assert client.post(url, {**chosen, "confirmed": "1"}).status_code == 302
    forwarded.refresh_from_db()
    assert (forwarded.decision.unit, forwarded.decision.amount) == (sda, 1000)
    page = client.get(forwarded.get_absolute_url()).content.decode()
    assert sub_activity.program_name in page and "Rp 1.000" in page


def test_a_sub_kegiatan_of_another_cycle_is_not_a_choice(client, forwarded, suban, kota_jaksel):
    other = SubActivity.objects.create(
        cycle=open_cycle(kota_jaksel, "JS24"), **_names("9.99.99.9.99.0001")
    )
    client.force_login(suban)
    url = reverse("proposals:decide", args=[forwarded.pk])
    response = client.post(url, {"kind": "renja", "sub_activity": other.pk, "confirmed": "1"})
    assert response.status_code == 400
    assert not Decision.objects.exists()
