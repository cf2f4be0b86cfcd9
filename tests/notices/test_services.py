"""Who is told what: each service's notice is created with its action, for the right users, and
not at all when the action rolled back."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from areas.models import Area, Role
from notices.models import Delivery, Notice
from notices.services import Message, holders_by, notify_all
from proposals.models import Recommendation, RejectionReason, Status
from proposals.services import (
    SurveyData,
    WorkflowError,
    proposal_accept,
    proposal_return,
    proposal_submit,
    proposals_validate,
    survey_record,
)
from sessions.models import Decision, Kind
from sessions.services import Placement, ranking_save, sidang_close
from tests.conftest import official
from tests.proposal_fixtures import make_proposal
from tests.session_fixtures import attend, held, schedule


def told(user) -> list[Notice]:
    return list(Notice.objects.filter(user=user).order_by("pk"))


def not_recommended(reason_note: str = "") -> SurveyData:
    return SurveyData(
        surveyed_on=datetime.date(2024, 2, 12),
        findings="Jalan milik kawasan swasta.",
        recommendation=Recommendation.NOT_RECOMMENDED,
        reason=RejectionReason.choices[0][0],
        reason_note=reason_note,
        revised_volume=Decimal("100"),
    )


# -- The RW, about its proposal ------------------------------------------------------------------


def test_returning_a_proposal_tells_its_rw_the_lurahs_note(
    proposal_kenari, lurah_kenari, rw_kenari_001
):
    proposal_return(proposal=proposal_kenari, by=lurah_kenari, note="Lengkapi foto lokasi.")
    [notice] = told(rw_kenari_001)
    assert notice.kind == "proposal_returned"
    assert notice.subject.startswith(proposal_kenari.code)
    assert "Lengkapi foto lokasi." in notice.text
    assert notice.url == proposal_kenari.get_absolute_url()
    assert notice.read_at is None


def test_accepting_a_proposal_tells_its_rw(proposal_kenari, lurah_kenari, rw_kenari_001):
    proposal_accept(proposal=proposal_kenari, by=lurah_kenari, note="Lengkap.")
    [notice] = told(rw_kenari_001)
    assert notice.kind == "proposal_accepted"
    assert "diterima" in notice.subject
    assert "Lengkap." in notice.text


def test_the_rw_of_another_kelurahan_is_not_told(
    proposal_kenari, lurah_kenari, rw_paseban, rw_kenari_001
):
    rw_paseban_official = official("rw.paseban", Role.RW, area=rw_paseban)
    proposal_accept(proposal=proposal_kenari, by=lurah_kenari)
    assert told(rw_paseban_official) == []
    assert len(told(rw_kenari_001)) == 1


def test_a_survey_tells_the_rw_it_is_not_recommended_and_why(
    proposal_kenari, ukpd_binamarga, rw_kenari_001
):
    data = not_recommended("Di luar jalan lingkungan.")
    survey_record(proposal=proposal_kenari, data=data, by=ukpd_binamarga)
    [notice] = told(rw_kenari_001)
    assert notice.kind == "proposal_surveyed"
    assert "Tidak direkomendasikan" in notice.text
    assert str(RejectionReason.choices[0][1]) in notice.text
    assert "Di luar jalan lingkungan." in notice.text


def test_a_refused_survey_tells_nobody(proposal_paseban, ukpd_binamarga, superuser):
    rw_official = official("rw.paseban", Role.RW, area=proposal_paseban.rw)
    with pytest.raises(WorkflowError):  # a goods proposal, and not Bina Marga's
        survey_record(proposal=proposal_paseban, data=not_recommended(), by=ukpd_binamarga)
    assert told(rw_official) == []


def test_an_action_rolled_back_leaves_no_notice_and_no_delivery(
    proposal_kenari, lurah_kenari, rw_kenari_001
):
    rw_kenari_001.email = "rw001@kenari.example"
    rw_kenari_001.save()
    with transaction.atomic():
        proposal_accept(proposal=proposal_kenari, by=lurah_kenari)
        assert len(told(rw_kenari_001)) == 1
        transaction.set_rollback(True)
    assert told(rw_kenari_001) == []
    assert not Delivery.objects.exists()


# -- The UKPD, about what awaits its survey ------------------------------------------------------


def test_accepting_a_physical_proposal_tells_the_officers_of_its_unit(
    draft_kenari, rw_kenari_001, lurah_kenari, ukpd_binamarga, sda
):
    """The survey queue lists accepted proposals (proposals/queues.py): the unit is told when
    the lurah accepts, not when the RW submits."""
    ukpd_sda = official("ukpd.sda", Role.UKPD, unit=sda)
    proposal_submit(proposal=draft_kenari, by=rw_kenari_001)
    assert told(ukpd_binamarga) == []
    proposal_accept(proposal=draft_kenari, by=lurah_kenari)
    [notice] = told(ukpd_binamarga)
    assert notice.kind == "survey_due"
    assert notice.subject == f"{draft_kenari.code}: usulan fisik menunggu survei"
    assert notice.url == reverse("proposals:survey", args=[draft_kenari.pk])
    assert told(ukpd_sda) == []


def test_a_bulk_acceptance_tells_each_unit_once_with_its_count(
    cycle, rw_kenari, betonisasi, rw_kenari_001, lurah_kenari, ukpd_binamarga
):
    submitted = [
        make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001, status=Status.SUBMITTED)
        for _ in range(3)
    ]
    proposals_validate(proposals=submitted, accept=True, by=lurah_kenari)
    [notice] = told(ukpd_binamarga)
    assert notice.subject == "3 usulan fisik baru menunggu survei"
    assert notice.url == reverse("proposals:survey_queue")


def test_returning_tells_no_unit(proposal_kenari, lurah_kenari, ukpd_binamarga):
    proposal_return(proposal=proposal_kenari, by=lurah_kenari, note="Lengkapi foto lokasi.")
    assert told(ukpd_binamarga) == []


def test_surveying_before_acceptance_tells_the_unit_at_submission(
    settings, draft_kenari, rw_kenari_001, lurah_kenari, ukpd_binamarga
):
    settings.SURVEY_BEFORE_ACCEPTANCE = True
    proposal_submit(proposal=draft_kenari, by=rw_kenari_001)
    [notice] = told(ukpd_binamarga)
    assert notice.url == reverse("proposals:survey", args=[draft_kenari.pk])
    proposal_accept(proposal=draft_kenari, by=lurah_kenari)
    assert len(told(ukpd_binamarga)) == 1  # not told twice


def test_submitting_a_goods_proposal_asks_no_survey(cycle, rw_kenari, tenda, rw_kenari_001, sda):
    ukpd_sda = official("ukpd.sda", Role.UKPD, unit=sda)
    draft = make_proposal(cycle, rw_kenari[0], tenda, rw_kenari_001, status=Status.DRAFT)
    proposal_submit(proposal=draft, by=rw_kenari_001)
    assert told(ukpd_sda) == []


def test_an_import_tells_each_unit_once_with_its_count(
    settings, client, suban, cycle, rw_kenari, betonisasi, tenda, ukpd_binamarga, sda
):
    """Imported proposals are submitted: they wait for a survey at once only when surveys may
    come before acceptance; otherwise each unit hears when the lurah accepts them."""
    from tests.proposals.test_import_views import csv_upload, post, row

    settings.SURVEY_BEFORE_ACCEPTANCE = True
    ukpd_sda = official("ukpd.sda", Role.UKPD, unit=sda)
    client.force_login(suban)
    rows = [row(Judul=f"Betonisasi {i}") for i in range(3)] + [
        row(Judul="Tenda", Kode_kamus="PB-01", Volume="1")
    ]
    assert post(client, csv_upload(rows)).status_code == 302
    [notice] = told(ukpd_binamarga)
    assert notice.subject.startswith("3 usulan fisik")
    assert notice.url == reverse("proposals:survey_queue")
    assert told(ukpd_sda) == []  # goods are not surveyed


def test_an_import_awaiting_the_lurah_tells_no_unit(
    client, suban, cycle, rw_kenari, betonisasi, ukpd_binamarga
):
    from tests.proposals.test_import_views import csv_upload, post, row

    client.force_login(suban)
    assert post(client, csv_upload([row(Judul="Betonisasi gang")])).status_code == 302
    assert told(ukpd_binamarga) == []


# -- Closing a sidang ----------------------------------------------------------------------------


def rank_and_close(sidang, by, *, utama: int):
    """Everyone ranked in code order: the first `utama` utama, the next one cadangan, the rest
    not prioritised for a stated reason."""
    attend(sidang, 3)

    def placed(rank: int, candidate) -> Placement:
        if rank <= utama:
            return Placement(candidate.pk, rank, Decision.UTAMA)
        if rank == utama + 1:
            return Placement(candidate.pk, rank, Decision.CADANGAN)
        return Placement(candidate.pk, rank, Decision.TIDAK, "Anggaran tidak mencukupi")

    candidates = sidang.candidates.order_by("proposal__code")
    placements = [placed(rank, c) for rank, c in enumerate(candidates, start=1)]
    ranking_save(sidang=sidang, placements=placements, version=0, by=by)
    sidang.refresh_from_db()
    return sidang_close(sidang=sidang, by=by, shortfall_reason="Uji")


def test_closing_a_sidang_kelompok_tells_each_rw_once_what_became_of_its_proposals(
    kelompok_kenari, lurah_kenari, rw_kenari, rw_kenari_001, accepted_kenari
):
    rw_002 = official("rw.kenari.002", Role.RW, area=rw_kenari[1])
    rank_and_close(kelompok_kenari, lurah_kenari, utama=3)
    [first] = told(rw_kenari_001)
    [second] = told(rw_002)
    assert first.kind == second.kind == "ranked"
    assert first.subject == "Hasil Sidang Kelompok Kelurahan Kenari"
    mine = [p for p in accepted_kenari if p.rw_id == rw_kenari[0].pk]
    assert all(p.code in first.text for p in mine)
    assert not any(p.code in first.text for p in accepted_kenari if p not in mine)
    assert "prioritas utama, peringkat 1" in first.text + second.text
    assert "cadangan, peringkat 4" in first.text + second.text
    assert "tidak diprioritaskan; alasannya: Anggaran tidak mencukupi" in first.text + second.text
    assert first.url == reverse("proposals:list")


def test_a_sidang_that_cannot_close_tells_nobody(kelompok_kenari, lurah_kenari, rw_kenari_001):
    from sessions.services import SessionError

    with pytest.raises(SessionError):  # nobody attended, nothing ranked
        sidang_close(sidang=kelompok_kenari, by=lurah_kenari)
    assert told(rw_kenari_001) == []


def test_the_camat_is_told_when_the_last_sidang_kelompok_of_the_kecamatan_closes(
    cycle, senen, kenari, kelompok_kenari, lurah_kenari, camat_senen
):
    others = Area.objects.kelurahan().filter(parent=senen).exclude(pk=kenari.pk)
    last_but_one = others.first()
    for kelurahan in others.exclude(pk=last_but_one.pk):
        held(cycle, Kind.KELOMPOK, kelurahan)
    open_one = schedule(cycle, Kind.KELOMPOK, last_but_one, state="in_progress")
    musrenbang = schedule(cycle, Kind.KECAMATAN, senen)

    rank_and_close(kelompok_kenari, lurah_kenari, utama=3)
    assert told(camat_senen) == []  # one kelurahan still deliberates

    lurah = official("lurah.lain", Role.LURAH, area=last_but_one)
    rank_and_close(open_one, lurah, utama=0)  # a kelurahan without proposals
    [notice] = told(camat_senen)
    assert notice.kind == "kelompok_all_closed"
    assert "Senen" in notice.subject
    assert notice.url == musrenbang.get_absolute_url()


def test_the_planning_office_is_told_when_a_musrenbang_kecamatan_closes(
    cycle, senen, betonisasi, superuser, camat_senen, suban, suban_jaksel, rw_kenari
):
    rw_official = official("rw.kenari.001", Role.RW, area=rw_kenari[0])
    for i in range(4):
        make_proposal(
            cycle,
            rw_kenari[0],
            betonisasi,
            superuser,
            status=Status.KELURAHAN_PRIORITY,
            recommendation=Recommendation.RECOMMENDED,
            title=f"Prioritas {i}",
        )
    musrenbang = schedule(cycle, Kind.KECAMATAN, senen, state="in_progress")
    rank_and_close(musrenbang, camat_senen, utama=3)
    [notice] = told(suban)
    assert notice.kind == "kecamatan_closed"
    assert "3 usulan prioritas utama" in notice.text
    assert notice.url == musrenbang.get_absolute_url()
    assert told(suban_jaksel) == []
    [rw_notice] = told(rw_official)  # all four of its proposals in one notice
    assert rw_notice.text.count("JP24-") == 4
    assert "Suku Badan Perencanaan" in rw_notice.text


# -- Many at once, in few queries ------------------------------------------------------------------


def test_holders_of_many_rws_are_found_in_one_query(
    rw_kenari, rw_kenari_001, django_assert_num_queries
):
    rw_002 = official("rw.kenari.002", Role.RW, area=rw_kenari[1])
    with django_assert_num_queries(1):
        found = holders_by(Role.RW, areas=[rw.pk for rw in rw_kenari])
    assert found == {rw_kenari[0].pk: [rw_kenari_001], rw_kenari[1].pk: [rw_002]}


@pytest.mark.parametrize("count", [2, 20])
def test_many_notices_cost_two_inserts_and_one_queued_task_per_email(
    count, db, django_assert_num_queries
):
    users = [
        official(f"warga.{i}", email=f"warga{i}@example.org" if i % 2 else "") for i in range(count)
    ]
    messages = [Message([user], kind="uji", subject="Uji", text="Isi") for user in users]
    with django_assert_num_queries(2 + count // 2):
        notify_all(messages)
    assert Notice.objects.count() == count
    assert Delivery.objects.count() == count // 2
