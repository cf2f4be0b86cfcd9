"""Workflow rules: who may take which step on a proposal, in which state."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from proposals.models import Event, Recommendation, RejectionReason, Status
from proposals.services import (
    ProposalData,
    SurveyData,
    WorkflowError,
    proposal_accept,
    proposal_create,
    proposal_return,
    proposal_submit,
    proposal_update,
    survey_record,
)
from tests.proposals.files import PDF, PNG


def data_for(item, **overrides) -> ProposalData:
    values = {
        "title": "Betonisasi Gg. Kenari",
        "problem": "Jalan berlubang.",
        "catalogue_item": item,
        "category": item.category,
        "target_unit_id": item.unit_id,
        "address": "Jl. Kenari II",
        "rt": "004",
        "latitude": None,
        "longitude": None,
        "volume": Decimal("12.5"),
        "measure": item.measure,
        "unit_price": item.unit_price,
        "beneficiaries": 120,
    }
    return ProposalData(**{**values, **overrides})


def test_rw_creates_a_draft_with_code_cost_and_journey(cycle, rw_kenari, betonisasi, rw_kenari_001):
    proposal = proposal_create(
        cycle=cycle, rw=rw_kenari[0], data=data_for(betonisasi), by=rw_kenari_001
    )
    assert proposal.code == "JP24-00001"
    assert proposal.status == Status.DRAFT
    assert proposal.cost == 5_625_000  # 12,5 m2 × Rp 450.000
    assert proposal.kelurahan.name == "Kenari"
    assert proposal.kecamatan.name == "Senen"
    event = proposal.events.get()
    assert (event.action, event.actor_office) == (Event.Action.CREATED, "Ketua RW 001 Kenari")


def test_codes_follow_each_other(cycle, rw_kenari, betonisasi, rw_kenari_001):
    codes = [
        proposal_create(
            cycle=cycle, rw=rw_kenari[0], data=data_for(betonisasi), by=rw_kenari_001
        ).code
        for _ in range(3)
    ]
    assert codes == ["JP24-00001", "JP24-00002", "JP24-00003"]


def test_cost_rounds_half_up_to_whole_rupiah(cycle, rw_kenari, betonisasi, rw_kenari_001):
    proposal = proposal_create(
        cycle=cycle,
        rw=rw_kenari[0],
        data=data_for(betonisasi, volume=Decimal("0.01"), unit_price=50),
        by=rw_kenari_001,
    )
    assert proposal.cost == 1  # 0,5 rupiah rounds up


def test_rw_cannot_enter_for_another_rw(cycle, rw_kenari, betonisasi, rw_kenari_001):
    with pytest.raises(WorkflowError, match="bukan pengurus RW"):
        proposal_create(cycle=cycle, rw=rw_kenari[1], data=data_for(betonisasi), by=rw_kenari_001)


def test_nothing_is_entered_outside_the_rw_window(cycle, rw_kenari, betonisasi, rw_kenari_001):
    cycle.rw_opens = cycle.rw_closes = datetime.date(2024, 1, 2)
    cycle.save()
    with pytest.raises(WorkflowError, match="sudah ditutup atau belum dibuka"):
        proposal_create(cycle=cycle, rw=rw_kenari[0], data=data_for(betonisasi), by=rw_kenari_001)
    assert not cycle.proposals.exists()


def test_submit_ends_the_rw_editing(draft_kenari, rw_kenari_001, betonisasi):
    proposal_submit(proposal=draft_kenari, by=rw_kenari_001)
    draft_kenari.refresh_from_db()
    assert draft_kenari.status == Status.SUBMITTED
    assert draft_kenari.submitted_at is not None
    with pytest.raises(WorkflowError, match="tidak dapat diubah"):
        proposal_update(proposal=draft_kenari, data=data_for(betonisasi), by=rw_kenari_001)
    with pytest.raises(WorkflowError):
        proposal_submit(proposal=draft_kenari, by=rw_kenari_001)


def test_lurah_accepts_a_submitted_proposal(proposal_kenari, lurah_kenari):
    proposal_accept(proposal=proposal_kenari, by=lurah_kenari, note="Lengkap.")
    proposal_kenari.refresh_from_db()
    assert proposal_kenari.status == Status.ACCEPTED
    event = proposal_kenari.events.get()
    assert (event.actor_office, event.note) == ("Lurah Kenari", "Lengkap.")


def test_lurah_returns_with_a_note_and_the_rw_edits_again(
    proposal_kenari, lurah_kenari, rw_kenari_001, betonisasi
):
    with pytest.raises(WorkflowError, match="catatan"):
        proposal_return(proposal=proposal_kenari, by=lurah_kenari, note="  ")
    proposal_return(proposal=proposal_kenari, by=lurah_kenari, note="Lengkapi foto lokasi.")
    proposal_kenari.refresh_from_db()
    assert proposal_kenari.status == Status.RETURNED
    proposal_update(
        proposal=proposal_kenari, data=data_for(betonisasi, title="Diperbaiki"), by=rw_kenari_001
    )
    proposal_submit(proposal=proposal_kenari, by=rw_kenari_001)
    proposal_kenari.refresh_from_db()
    assert (proposal_kenari.title, proposal_kenari.status) == ("Diperbaiki", Status.SUBMITTED)


@pytest.mark.parametrize("who", ["lurah_paseban", "camat_senen", "rw_kenari_001", "suban"])
def test_only_the_lurah_of_the_kelurahan_validates(request, proposal_kenari, who):
    with pytest.raises(WorkflowError):
        proposal_accept(proposal=proposal_kenari, by=request.getfixturevalue(who))
    proposal_kenari.refresh_from_db()
    assert proposal_kenari.status == Status.SUBMITTED


def test_a_draft_cannot_be_validated(draft_kenari, lurah_kenari):
    with pytest.raises(WorkflowError, match="sedang diajukan"):
        proposal_accept(proposal=draft_kenari, by=lurah_kenari)


def survey(**overrides) -> SurveyData:
    values = {
        "surveyed_on": datetime.date(2024, 2, 12),
        "findings": "Saluran tertutup sedimen sepanjang 40 m.",
        "recommendation": Recommendation.RECOMMENDED,
        "reason": "",
        "reason_note": "",
        "revised_volume": Decimal("100"),
    }
    return SurveyData(**{**values, **overrides})


def test_ukpd_surveys_and_keeps_the_original_values(proposal_kenari, ukpd_binamarga):
    result = survey_record(proposal=proposal_kenari, data=survey(), by=ukpd_binamarga)
    proposal_kenari.refresh_from_db()
    assert proposal_kenari.recommendation == Recommendation.RECOMMENDED
    assert proposal_kenari.volume == Decimal("120")
    assert proposal_kenari.cost == 54_000_000
    assert result.revised_cost == 45_000_000
    assert proposal_kenari.events.get().action == Event.Action.SURVEYED


def test_a_rejection_needs_a_reason(proposal_kenari, ukpd_binamarga):
    with pytest.raises(WorkflowError, match="alasan"):
        survey_record(
            proposal=proposal_kenari,
            data=survey(recommendation=Recommendation.NOT_RECOMMENDED),
            by=ukpd_binamarga,
        )
    result = survey_record(
        proposal=proposal_kenari,
        data=survey(
            recommendation=Recommendation.NOT_RECOMMENDED,
            reason=RejectionReason.NOT_PROVINCE_ASSET,
        ),
        by=ukpd_binamarga,
    )
    assert "Aset bukan milik" in proposal_kenari.events.get().note
    assert result.reason == RejectionReason.NOT_PROVINCE_ASSET


def test_another_unit_cannot_survey(proposal_kenari, sda, kota_jp):
    from tests.conftest import official

    officer = official("ukpd.sda", "ukpd", unit=sda)
    with pytest.raises(WorkflowError, match="bukan tugas"):
        survey_record(proposal=proposal_kenari, data=survey(), by=officer)


def test_goods_are_not_surveyed(proposal_paseban, sda):
    from tests.conftest import official

    officer = official("ukpd.sda", "ukpd", unit=sda)
    with pytest.raises(WorkflowError, match="fisik"):
        survey_record(proposal=proposal_paseban, data=survey(), by=officer)


def test_a_draft_is_not_surveyed(draft_kenari, ukpd_binamarga):
    with pytest.raises(WorkflowError):
        survey_record(proposal=draft_kenari, data=survey(), by=ukpd_binamarga)


def test_photos_and_documents_are_checked_by_content(
    cycle, rw_kenari, betonisasi, rw_kenari_001, settings, tmp_path
):
    proposal = proposal_create(
        cycle=cycle,
        rw=rw_kenari[0],
        data=data_for(betonisasi),
        by=rw_kenari_001,
        uploads=[
            SimpleUploadedFile("lokasi.png", PNG),
            SimpleUploadedFile("proposal.pdf", PDF),
        ],
    )
    kinds = sorted(proposal.attachments.values_list("content_type", "kind"))
    # An opaque PNG is kept as JPEG (proposals/images.py).
    assert kinds == [("application/pdf", "document"), ("image/jpeg", "photo")]
    stored = proposal.attachments.get(kind="photo").file.name
    assert "lokasi" not in stored  # stored under a generated name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("foto.jpg", b"<html><script>alert(1)</script>", "bukan JPEG, PNG atau PDF"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"rusak" * 10, "rusak"),
        ("besar.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024), "lebih dari 5 MB"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_saved(
    cycle, rw_kenari, betonisasi, rw_kenari_001, settings, tmp_path, name, content, message
):
    with pytest.raises(WorkflowError, match=message):
        proposal_create(
            cycle=cycle,
            rw=rw_kenari[0],
            data=data_for(betonisasi),
            by=rw_kenari_001,
            uploads=[SimpleUploadedFile(name, content)],
        )
    assert not cycle.proposals.exists()
