"""Realisation reports (proposals/realisation.py): who records, what adds up, what follows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from areas.models import Role
from notices.models import Notice
from proposals.models import Attachment, Event, Progress, Realisation, Stage, Status
from proposals.realisation import progress_record
from proposals.services import WorkflowError
from tests.conftest import official
from tests.proposals.files import PDF, png_of
from tests.realisation_fixtures import accommodate, photo, realised

__all__ = ["realised"]

TODAY = timezone.localdate


def report(realisation, by, **fields):
    values = {
        "stage": Stage.EXECUTION,
        "percent": 60,
        "reported_on": TODAY(),
        "note": "Pengecoran jalan 80 m dari 120 m.",
        "reason": "",
        "photos": [],
        **fields,
    }
    return progress_record(realisation=realisation, by=by, **values)


def test_the_unit_records_each_stage_and_the_realisation_follows(realised, ukpd_binamarga):
    steps = [
        (Stage.PLANNING, 10),
        (Stage.PROCUREMENT, 25),
        (Stage.EXECUTION, 60),
        (Stage.DONE, 100),
    ]
    for stage, percent in steps:
        report(realised, ukpd_binamarga, stage=stage, percent=percent)
        realised.refresh_from_db()
        assert (realised.stage, realised.percent, realised.reported_on) == (
            stage,
            percent,
            TODAY(),
        )
    assert realised.reports.count() == 4


def test_a_report_joins_the_public_journey_in_indonesian(realised, ukpd_binamarga):
    report(realised, ukpd_binamarga)
    event = Event.objects.get(proposal=realised.proposal, action=Event.Action.PROGRESS)
    assert event.note == "Pelaksanaan 60 %: Pengecoran jalan 80 m dari 120 m."
    assert event.actor_office == "Sudin Bina Marga"


def test_the_rw_is_told_in_plain_indonesian(realised, ukpd_binamarga, rw_kenari_001):
    report(realised, ukpd_binamarga)
    notice = Notice.objects.get(user=rw_kenari_001, kind="progress")
    assert notice.subject.startswith(realised.proposal.code)
    assert "Sudin Bina Marga melaporkan realisasi usulan" in notice.text
    assert "Pelaksanaan 60 %" in notice.text


def test_cancelling_needs_a_reason(realised, ukpd_binamarga):
    with pytest.raises(WorkflowError, match="alasan pembatalan"):
        report(realised, ukpd_binamarga, stage=Stage.CANCELLED, reason="  ")
    assert not Progress.objects.exists()


def test_a_cancellation_keeps_its_reason_and_may_lower_the_percent(realised, ukpd_binamarga):
    report(realised, ukpd_binamarga, percent=40)
    report(realised, ukpd_binamarga, stage=Stage.CANCELLED, percent=0, reason="Lahan sengketa.")
    realised.refresh_from_db()
    assert (realised.stage, realised.percent) == (Stage.CANCELLED, 0)
    event = realised.proposal.events.filter(action=Event.Action.PROGRESS).last()
    assert event.note == "Batal 0 %: Lahan sengketa."


def test_done_is_100_percent(realised, ukpd_binamarga):
    with pytest.raises(WorkflowError, match="100 %"):
        report(realised, ukpd_binamarga, stage=Stage.DONE, percent=90)


@pytest.mark.parametrize("final", [Stage.DONE, Stage.CANCELLED])
def test_a_final_stage_is_final(realised, ukpd_binamarga, final):
    report(realised, ukpd_binamarga, stage=final, percent=100, reason="Dialihkan.")
    with pytest.raises(WorkflowError, match="laporan baru tidak dapat ditambahkan"):
        report(realised, ukpd_binamarga, stage=Stage.EXECUTION, percent=100)
    assert realised.reports.count() == 1


def test_the_percent_never_goes_backwards(realised, ukpd_binamarga):
    report(realised, ukpd_binamarga, percent=60)
    with pytest.raises(WorkflowError, match="tidak boleh mundur"):
        report(realised, ukpd_binamarga, percent=50)


@pytest.mark.parametrize("days", [-1, 31, 400])
def test_the_date_lies_between_the_decision_and_today(realised, ukpd_binamarga, days):
    # The decision was 30 days ago: -1 is tomorrow, 31 the day before the decision.
    with pytest.raises(WorkflowError, match="Tanggal laporan"):
        report(realised, ukpd_binamarga, reported_on=TODAY() - datetime.timedelta(days=days))


def test_a_report_is_not_dated_before_the_last_one(realised, ukpd_binamarga):
    report(realised, ukpd_binamarga, percent=20, reported_on=TODAY() - datetime.timedelta(days=3))
    with pytest.raises(WorkflowError, match="Tanggal laporan"):
        report(realised, ukpd_binamarga, reported_on=TODAY() - datetime.timedelta(days=5))


@pytest.mark.parametrize(
    "who", ["lurah_kenari", "camat_senen", "suban", "dewan", "rw_kenari_001", "lurah_paseban"]
)
def test_only_the_units_officers_record(request, realised, who):
    with pytest.raises(WorkflowError, match="UKPD pelaksana"):
        report(realised, request.getfixturevalue(who))
    assert not Progress.objects.exists()


def test_an_officer_of_another_unit_does_not_record(realised, sda):
    other = official("ukpd.sda", Role.UKPD, unit=sda)
    with pytest.raises(WorkflowError, match="UKPD pelaksana"):
        report(realised, other)


def test_the_executing_unit_records_even_when_another_was_targeted(proposal_kenari, suban, sda):
    realisation = accommodate(proposal_kenari, suban, unit=sda)
    report(realisation, official("ukpd.sda", Role.UKPD, unit=sda))
    assert Realisation.objects.get(pk=realisation.pk).stage == Stage.EXECUTION


def test_photos_are_kept_as_photos_of_the_report(realised, ukpd_binamarga):
    progress = report(realised, ukpd_binamarga, photos=[photo("a.png"), photo("b.png")])
    kept = Attachment.objects.filter(progress=progress)
    assert kept.count() == 2
    assert {a.proposal_id for a in kept} == {realised.proposal_id}
    assert all(a.is_image for a in kept)


def test_a_decompression_bomb_is_refused_and_nothing_is_saved(realised, ukpd_binamarga):
    bomb = SimpleUploadedFile("bom.png", png_of(20_000, 20_000))
    with pytest.raises(WorkflowError, match="megapiksel"):
        report(realised, ukpd_binamarga, photos=[photo(), bomb])
    assert not Progress.objects.exists() and not Attachment.objects.exists()
    assert not Event.objects.filter(action=Event.Action.PROGRESS).exists()
    assert not Notice.objects.exists()


def test_a_document_is_no_photo(realised, ukpd_binamarga):
    with pytest.raises(WorkflowError, match="bukan foto"):
        report(realised, ukpd_binamarga, photos=[SimpleUploadedFile("surat.pdf", PDF)])


def test_at_most_five_photos_a_report(realised, ukpd_binamarga):
    with pytest.raises(WorkflowError, match="Paling banyak 5 foto"):
        report(realised, ukpd_binamarga, photos=[photo() for _ in range(6)])


@pytest.mark.parametrize("stage", ["", "mangkrak", None])
def test_an_unknown_stage_is_refused(realised, ukpd_binamarga, stage):
    with pytest.raises(WorkflowError, match="Pilih tahap"):
        report(realised, ukpd_binamarga, stage=stage)


def test_a_proposal_no_longer_accommodated_takes_no_report(realised, ukpd_binamarga):
    realised.proposal.status = Status.NOT_ACCOMMODATED
    realised.proposal.save()
    with pytest.raises(WorkflowError, match="tidak lagi diakomodir"):
        report(realised, ukpd_binamarga)
