"""The demo after the decision: 2024's priorities decided and realised, 2025 open with what 2024
left, and the inboxes 2024 would have filled.

The demo is loaded once for this folder (see conftest.py); each test runs in a savepoint.
"""

import datetime
from collections import Counter

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from areas.models import Area, User
from musrenbang.demo import demo_counts
from notices.models import Notice
from proposals.models import (
    Attachment,
    Cycle,
    Decision,
    Event,
    Progress,
    Proposal,
    Realisation,
    Source,
    Stage,
    Status,
    SubActivity,
)
from sessions.models import Candidate

RW_001 = "31.71.04.1002.001"


def test_the_planning_office_decided_every_kecamatan_priority_in_april_2024(loaded_demo, db):
    cycle = Cycle.objects.get(kota__code="31.71", year=2024)
    assert 10 <= SubActivity.objects.filter(cycle=cycle).count() <= 14
    assert not cycle.proposals.filter(status=Status.KECAMATAN_PRIORITY).exists()
    decisions = Decision.objects.filter(proposal__cycle=cycle).select_related("decided_by")
    kinds = Counter(d.kind for d in decisions)
    assert kinds[Decision.Kind.CURRENT_BUDGET] == 1
    assert kinds[Decision.Kind.NOT_ACCOMMODATED] == 1
    assert kinds[Decision.Kind.RENJA] == len(decisions) - 2 >= 3
    for decision in decisions:
        assert decision.decided_by.username == "suban"
        at = timezone.localtime(decision.decided_at)
        assert (at.year, at.month) == (2024, 4)
        event = decision.proposal.events.get(action=Event.Action.DECIDED)
        assert event.at == decision.decided_at
        if decision.accommodated:
            assert decision.sub_activity.cycle_id == cycle.pk
            assert decision.unit_id == decision.proposal.target_unit_id and decision.amount > 0
            assert decision.budget_year == (2025 if decision.kind == Decision.Kind.RENJA else 2024)
            assert decision.proposal.realisation.started_on == at.date()
        else:
            assert decision.reason.startswith("Pagu indikatif")
            assert not Realisation.objects.filter(proposal=decision.proposal).exists()


def test_the_units_report_the_realisation_at_several_stages(loaded_demo, db):
    realisations = Realisation.objects.filter(proposal__cycle__year=2024)
    stages = Counter(realisations.values_list("stage", flat=True))
    assert stages[Stage.DONE] == 2
    assert stages[Stage.EXECUTION] == stages[Stage.PROCUREMENT] == stages[""] == 1
    assert realisations.get(stage=Stage.EXECUTION).percent == 60
    for realisation in realisations.select_related("unit"):
        reports = list(realisation.reports.order_by("pk"))
        days = [r.reported_on for r in reports]
        assert days == sorted(days) and all(d.year in (2024, 2025) for d in days)
        for report in reports:
            assert report.recorded_by.username == f"ukpd.{realisation.unit.code}"
            assert timezone.localdate(report.recorded_at) == report.reported_on
        photos = Attachment.objects.filter(progress__realisation=realisation)
        if realisation.stage == Stage.DONE:
            assert 2 <= photos.count() <= 3
            assert all(p.content_type == "image/jpeg" and p.size < 150_000 for p in photos)
    progress = Event.objects.filter(action=Event.Action.PROGRESS)
    assert progress.count() == Progress.objects.count()
    assert all(at.year in (2024, 2025) for at in progress.values_list("at", flat=True))


def test_a_visitor_reads_a_finished_realisation_with_its_photos(loaded_demo, db, client):
    done = Realisation.objects.filter(stage=Stage.DONE).select_related("proposal").first()
    code = done.proposal.code
    response = client.get(reverse("tracker_proposal", args=[code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Selesai" in page
    photos = Attachment.objects.filter(progress__realisation=done)
    for photo in photos:
        src = reverse("tracker_photo", args=[code, photo.token])
        assert src in page
        served = client.get(src)
        assert served.status_code == 200
        assert served["Content-Type"] == "image/jpeg"


def test_2025_is_open_with_rw_001_kenaris_carried_proposals_waiting(loaded_demo, db):
    cycle = Cycle.objects.get(kota__code="31.71", year=2025)
    assert cycle.code_prefix == "JP25" and cycle.rw_window_open()
    carried = cycle.proposals.filter(rw__code=RW_001, source=Source.RW)  # not the DPRD's pokir
    assert carried.count() >= 1
    assert set(carried.values_list("status", flat=True)) == {Status.CARRIED}
    assert set(carried.values_list("carried_from__status", flat=True)) <= {
        Status.KELURAHAN_RESERVE,
        Status.NOT_PRIORITISED,
    }
    answered = Counter(cycle.proposals.values_list("status", flat=True))
    assert answered[Status.SUBMITTED] >= 1 and answered[Status.WITHDRAWN] >= 1
    # The 2024 cycle still counts only its own proposals.
    assert demo_counts(Area.objects.get(code="31.71"))["proposals"] == 1451


def test_rw_001_kenari_confirms_one_carried_proposal_and_withdraws_another(loaded_demo, db, client):
    client.force_login(User.objects.get(username="rw.kenari.001"))
    carried = list(
        Proposal.objects.filter(cycle__year=2025, rw__code=RW_001, source=Source.RW).order_by(
            "code"
        )
    )
    page = client.get(reverse("proposals:carried"))
    assert page.status_code == 200
    assert all(p.code in page.content.decode() for p in carried)
    kept, withdrawn = carried[0], carried[1]
    client.post(reverse("proposals:carried"), {"action": "confirm", "proposal": kept.pk})
    client.post(
        reverse("proposals:carried"),
        {"action": "withdraw", "proposal": withdrawn.pk, "reason": "Sudah dikerjakan warga."},
    )
    kept.refresh_from_db()
    withdrawn.refresh_from_db()
    assert (kept.status, withdrawn.status) == (Status.SUBMITTED, Status.WITHDRAWN)


def test_rw_001_kenari_reads_what_became_of_each_2024_proposal(loaded_demo, db, client):
    user = User.objects.get(username="rw.kenari.001")
    notices = Notice.objects.filter(user=user)
    proposals = Proposal.objects.filter(cycle__year=2024, rw__code=RW_001)
    for proposal in proposals:
        about = notices.filter(text__contains=proposal.code)
        kinds = set(about.values_list("kind", flat=True))
        assert {"proposal_accepted", "ranked"} <= kinds
        if hasattr(proposal, "survey"):
            assert "proposal_surveyed" in kinds
        candidate = Candidate.objects.get(proposal=proposal)
        if candidate.reason:  # not prioritised: the inbox says why
            assert notices.filter(kind="ranked", text__contains=candidate.reason).exists()
    # Dated when it happened: accepted in early 2024, ranked on the day of the sidang kelompok.
    ranked = notices.get(kind="ranked")
    assert timezone.localdate(ranked.created_at) == datetime.date(2024, 2, 28)
    assert notices.filter(kind="carried", read_at__isnull=True).exists()
    assert 1 <= notices.filter(read_at__isnull=True, created_at__year=2024).count() <= 3

    client.force_login(user)
    page = client.get(reverse("notices:inbox"))
    assert page.status_code == 200
    assert "Hasil Sidang Kelompok Kelurahan Kenari" in page.content.decode()


def test_the_journeys_told_each_rw_and_unit_as_the_live_services_would(loaded_demo, db):
    cycle = Cycle.objects.get(kota__code="31.71", year=2024)
    events = Counter(Event.objects.filter(proposal__cycle=cycle).values_list("action", flat=True))
    told = Notice.objects.filter(created_at__year=2024)
    per_rw = told.filter(user__username="rw.kenari.001")
    accepted = per_rw.filter(kind="proposal_accepted").first()
    assert accepted.text.startswith("Lurah menerima usulan JP24-")
    assert (
        told.filter(kind="proposal_surveyed").values("subject").distinct().count()
        == (events[Event.Action.SURVEYED])
    )
    assert told.filter(kind="survey_due", user__username="ukpd.binamarga").exists()
    # Nothing 2024 told is dated on the day the demo was loaded.
    assert not Notice.objects.filter(created_at__year=2024, created_at__gt=timezone.now()).exists()
    assert not told.filter(kind="decided").exclude(text__contains="2024").exists()


def test_loading_the_demo_again_adds_nothing_after_the_decision(loaded_demo, db, settings):
    settings.DEBUG = True
    kota = Area.objects.get(code="31.71")
    counts = demo_counts(kota)
    rows = (Notice.objects.count(), Progress.objects.count(), Attachment.objects.count())
    call_command("demo", verbosity=0)
    assert demo_counts(kota) == counts
    assert (Notice.objects.count(), Progress.objects.count(), Attachment.objects.count()) == rows
    assert Cycle.objects.filter(kota=kota).count() == 2


def test_lurah_kenari_has_2025_submissions_to_validate_together(loaded_demo, db):
    """Four of Kenari's RWs kept a carried proposal: the lurah can accept three or more in one
    step from the table."""
    cycle = Cycle.objects.get(kota__code="31.71", year=2025)
    waiting = cycle.proposals.filter(kelurahan__code="31.71.04.1002", status=Status.SUBMITTED)
    assert waiting.count() == 4
    assert waiting.values("rw").distinct().count() == 4
    assert not waiting.filter(rw__code=RW_001).exists()
