"""The cycle's rules in a real kecamatan: stages in order, no stranded priority, surveyed before
prioritised, a quorum, closing with reasons, the dates of a cycle in order, weights kept."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from areas.models import Area
from proposals.models import Cycle, Recommendation, Status
from proposals.services import proposal_accept
from sessions.models import Candidate, Criterion, Decision, Kind, Participant, State
from sessions.services import (
    Placement,
    SessionError,
    closing_problems,
    sidang_close,
    sidang_start,
)
from tests.proposal_fixtures import make_proposal, open_cycle, recommended
from tests.session_fixtures import attend, held, placements, save, schedule
from tests.sessions.helpers import pdf_text

# -- Stages in order --------------------------------------------------------------------------


def test_a_sidang_kelompok_waits_for_the_pleno_pembuka(kelompok_paseban, lurah_paseban):
    with pytest.raises(SessionError, match="Sidang Pleno Pembuka Musrenbang Kecamatan Senen"):
        sidang_start(sidang=kelompok_paseban, by=lurah_paseban)
    kelompok_paseban.refresh_from_db()
    assert kelompok_paseban.state == State.SCHEDULED


def test_it_starts_once_the_pleno_pembuka_has_closed(kelompok_paseban, lurah_paseban, cycle, senen):
    held(cycle, Kind.PLENO_PEMBUKA, senen)
    sidang = sidang_start(sidang=kelompok_paseban, by=lurah_paseban)
    assert sidang.state == State.IN_PROGRESS
    assert sidang.stages_missing == sidang.stage_exception == ""


def test_it_starts_early_only_with_a_recorded_reason(kelompok_paseban, lurah_paseban):
    sidang = sidang_start(
        sidang=kelompok_paseban, by=lurah_paseban, stage_exception="Jadwal pleno bergeser."
    )
    sidang.refresh_from_db()
    assert sidang.state == State.IN_PROGRESS
    assert (
        sidang.stages_missing
        == "Sidang Pleno Pembuka Musrenbang Kecamatan Senen: belum dijadwalkan"
    )
    assert sidang.stage_exception == "Jadwal pleno bergeser."


def test_the_musrenbang_kecamatan_waits_for_every_sidang_kelompok(
    client, camat_senen, musrenbang_senen, kelompok_kenari, cycle, senen
):
    for kelurahan in (
        Area.objects.kelurahan().filter(parent=senen).exclude(pk=kelompok_kenari.area_id)
    ):
        held(cycle, Kind.KELOMPOK, kelurahan)
    client.force_login(camat_senen)
    page = client.get(musrenbang_senen.get_absolute_url()).content.decode()
    assert "Sidang Kelompok Kelurahan Kenari: berlangsung" in page
    assert 'name="stage_exception"' in page
    start = reverse("sessions:start", args=[musrenbang_senen.pk])
    response = client.post(start, follow=True)
    assert "Tahap sebelumnya belum selesai" in response.content.decode()
    musrenbang_senen.refresh_from_db()
    assert musrenbang_senen.state == State.SCHEDULED

    client.post(start, {"stage_exception": "Kenari menyusul sore ini."})
    musrenbang_senen.refresh_from_db()
    assert musrenbang_senen.state == State.IN_PROGRESS
    assert musrenbang_senen.stages_missing == "Sidang Kelompok Kelurahan Kenari: berlangsung"


def test_the_kota_sees_each_early_start_and_its_reason(
    client, suban, kelompok_paseban, lurah_paseban
):
    sidang_start(sidang=kelompok_paseban, by=lurah_paseban, stage_exception="Pleno diundur.")
    client.force_login(suban)
    page = client.get(reverse("home")).content.decode()
    assert "Dimulai sebelum tahap sebelumnya selesai" in page
    assert "Pleno diundur." in page
    assert kelompok_paseban.get_absolute_url() in page


def test_the_berita_acara_prints_the_early_start(client, lurah_paseban, kelompok_paseban):
    sidang_start(sidang=kelompok_paseban, by=lurah_paseban, stage_exception="Pleno diundur.")
    client.force_login(lurah_paseban)
    response = client.get(reverse("sessions:minutes_pdf", args=[kelompok_paseban.pk]))
    text = pdf_text(response.content)
    assert "dimulai sebelum tahap sebelumnya selesai" in text
    assert "Pleno diundur." in text


# -- No stranded priority ----------------------------------------------------------------------


@pytest.fixture
def two_kelurahan(cycle, senen, betonisasi, superuser, camat_senen):
    """Kenari and Paseban, three recommended proposals each, their sidang kelompok in progress
    after the pleno pembuka; Senen's musrenbang kecamatan scheduled."""
    from areas.services import rw_ensure

    held(cycle, Kind.PLENO_PEMBUKA, senen)
    sessions = {}
    for name in ("Kenari", "Paseban"):
        kelurahan = Area.objects.kelurahan().get(parent=senen, name=name)
        rw = rw_ensure(kelurahan=kelurahan, count=1)[0]
        recommended(cycle, [rw], betonisasi, superuser, 3)
        sidang = schedule(cycle, Kind.KELOMPOK, kelurahan, state="in_progress")
        attend(sidang, 2)
        save(sidang, superuser, placements(sidang, utama=2))
        sessions[name] = sidang
    return sessions, schedule(cycle, Kind.KECAMATAN, senen)


def _close(sidang, by):
    sidang.refresh_from_db()
    reasons = {c.pk: "Kalah prioritas." for c in sidang.candidates.filter(decision="")}
    return sidang_close(sidang=sidang, by=by, shortfall_reason="Sedikit usulan.", reasons=reasons)


def _walk(order, kelompok, kecamatan, by):
    for step in order:
        if step == "start":
            sidang_start(sidang=kecamatan, by=by, stage_exception="Serentak.")
            kecamatan.refresh_from_db()
            attend(kecamatan, 2)
        elif step == "close":
            kecamatan.refresh_from_db()
            save(kecamatan, by, placements(kecamatan, utama=0))
            _close(kecamatan, by)
        else:
            _close(kelompok[step], by)


def test_every_kelurahan_priority_ends_in_exactly_one_place_whatever_the_order(
    two_kelurahan, superuser
):
    kelompok, kecamatan = two_kelurahan
    steps = ["Kenari", "Paseban", "start", "close"]
    orders = [o for o in itertools.permutations(steps) if o.index("start") < o.index("close")]
    assert len(orders) == 12
    for order in orders:
        with transaction.atomic():
            _walk(order, kelompok, kecamatan, superuser)
            priorities = Candidate.objects.filter(
                sidang__in=kelompok.values(), decision=Decision.UTAMA
            ).values_list("proposal_id", flat=True)
            assert len(priorities) == 4, order
            on_table = list(
                Candidate.objects.filter(sidang=kecamatan).values_list("proposal_id", flat=True)
            )
            late = set(
                kecamatan.cycle.proposals.filter(status=Status.KELURAHAN_LATE).values_list(
                    "pk", flat=True
                )
            )
            for proposal in priorities:
                assert (on_table.count(proposal), proposal in late) in [(1, False), (0, True)], (
                    order
                )
            assert not kecamatan.cycle.proposals.filter(status=Status.KELURAHAN_PRIORITY).exists()
            transaction.set_rollback(True)


def test_a_late_sidang_kelompok_says_so_and_its_priorities_wait_for_the_kota(
    client, two_kelurahan, superuser, suban, lurah_kenari
):
    kelompok, kecamatan = two_kelurahan
    _walk(["start", "Paseban", "close"], kelompok, kecamatan, superuser)
    client.force_login(lurah_kenari)
    page = client.get(reverse("sessions:close", args=[kelompok["Kenari"].pk])).content.decode()
    assert "Musrenbang Kecamatan Senen sudah ditutup" in page
    closed = _close(kelompok["Kenari"], superuser)
    late = kecamatan.cycle.proposals.filter(status=Status.KELURAHAN_LATE)
    assert late.count() == 2
    assert closed.closed_late
    client.force_login(suban)
    assert "Prioritas kelurahan terlambat" in client.get(reverse("home")).content.decode()
    assert "Catat keputusan akhir" in client.get(late.first().get_absolute_url()).content.decode()


# -- Candidates follow the data ---------------------------------------------------------------


def test_a_proposal_accepted_during_the_sidang_kelompok_joins_its_table(
    kelompok_kenari, lurah_kenari, rw_kenari, tenda, rw_kenari_001, cycle
):
    save(kelompok_kenari, lurah_kenari, placements(kelompok_kenari))
    late = make_proposal(cycle, rw_kenari[0], tenda, rw_kenari_001, status=Status.SUBMITTED)
    proposal_accept(proposal=late, by=lurah_kenari)
    joined = kelompok_kenari.candidates.get(proposal=late)
    kelompok_kenari.refresh_from_db()
    assert joined.added_at > kelompok_kenari.ranking_saved_at
    assert joined.rank is None and joined.decision == ""


def test_a_proposal_accepted_elsewhere_joins_nothing(
    kelompok_kenari, lurah_paseban, rw_paseban, tenda, superuser, cycle
):
    other = make_proposal(cycle, rw_paseban, tenda, superuser, status=Status.SUBMITTED)
    proposal_accept(proposal=other, by=lurah_paseban)
    assert not Candidate.objects.filter(proposal=other).exists()


# -- Surveyed before prioritised --------------------------------------------------------------


@pytest.fixture
def unsurveyed(kelompok_kenari, rw_kenari, betonisasi, rw_kenari_001, cycle, lurah_kenari):
    proposal = make_proposal(
        cycle, rw_kenari[0], betonisasi, rw_kenari_001, status=Status.SUBMITTED
    )
    proposal_accept(proposal=proposal, by=lurah_kenari)
    return kelompok_kenari.candidates.get(proposal=proposal)


def _only(candidate, decision):
    others = candidate.sidang.candidates.exclude(pk=candidate.pk)
    return [Placement(candidate.pk, 1, decision)] + [
        Placement(c.pk, None, Decision.CADANGAN) for c in others
    ]


def test_an_unsurveyed_physical_proposal_cannot_be_utama(unsurveyed, lurah_kenari):
    sidang = unsurveyed.sidang
    with pytest.raises(SessionError, match="belum disurvei"):
        save(sidang, lurah_kenari, _only(unsurveyed, Decision.UTAMA))
    save(sidang, lurah_kenari, _only(unsurveyed, Decision.CADANGAN))
    assert Candidate.objects.get(pk=unsurveyed.pk).decision == Decision.CADANGAN


def test_a_cycle_may_relax_the_survey_rule(unsurveyed, lurah_kenari, cycle):
    Cycle.objects.filter(pk=cycle.pk).update(priority_needs_survey=False)
    sidang = unsurveyed.sidang
    sidang.refresh_from_db()
    save(sidang, lurah_kenari, _only(unsurveyed, Decision.UTAMA))
    assert Candidate.objects.get(pk=unsurveyed.pk).decision == Decision.UTAMA


def test_a_recommendation_withdrawn_during_the_sidang_keeps_it_from_closing(
    kelompok_kenari, lurah_kenari
):
    attend(kelompok_kenari)
    save(kelompok_kenari, lurah_kenari, placements(kelompok_kenari))
    utama = kelompok_kenari.candidates.filter(decision=Decision.UTAMA, proposal__category="fisik")
    proposal = utama.first().proposal
    proposal.recommendation = Recommendation.NOT_RECOMMENDED
    proposal.save()
    kelompok_kenari.refresh_from_db()
    assert any("tidak direkomendasikan" in p for p in closing_problems(kelompok_kenari))


# -- Quorum -----------------------------------------------------------------------------------


def test_a_plenary_with_three_people_does_not_close_under_the_defaults(kota_jp, senen):
    cycle = Cycle.objects.create(
        kota=kota_jp,
        year=2025,
        code_prefix="JP25",
        rw_opens=datetime.date(2025, 1, 6),
        rw_closes=datetime.date(2025, 1, 31),
    )
    pleno = schedule(cycle, Kind.PLENO_PEMBUKA, senen, state="in_progress")
    attend(pleno, 3)
    assert "Baru 3 peserta hadir; kuorum sidang ini 15 orang." in closing_problems(pleno)
    attend(pleno, 12)
    assert closing_problems(pleno) == []


def test_invited_but_absent_people_do_not_count(cycle, senen):
    sidang = schedule(cycle, Kind.PLENO_PENUTUPAN, senen, state="in_progress")
    for participant in attend(sidang, 5):
        Participant.objects.filter(pk=participant.pk).update(present=False)
    attend(sidang, 1)
    assert "Baru 1 peserta hadir; kuorum sidang ini 2 orang." in closing_problems(sidang)


# -- Closing asks, and asks why ---------------------------------------------------------------


def test_closing_shows_a_confirmation_first(client, lurah_kenari, kelompok_kenari):
    attend(kelompok_kenari)
    client.force_login(lurah_kenari)
    url = reverse("sessions:close", args=[kelompok_kenari.pk])
    page = client.get(url).content.decode()
    assert "Yang akan terjadi" in page
    assert "Tidak dapat dibatalkan" in page
    assert "7 calon belum diputuskan" in page
    kelompok_kenari.refresh_from_db()
    assert kelompok_kenari.state == State.IN_PROGRESS


def test_closing_asks_a_reason_for_each_undecided_candidate(client, lurah_kenari, kelompok_kenari):
    attend(kelompok_kenari)
    save(
        kelompok_kenari,
        lurah_kenari,
        placements(kelompok_kenari)[:5]
        + [Placement(c.pk, None, "") for c in kelompok_kenari.candidates.order_by("pk")[5:]],
    )
    client.force_login(lurah_kenari)
    url = reverse("sessions:close", args=[kelompok_kenari.pk])
    response = client.post(url, {"confirmed": "1"})
    assert response.status_code == 400
    assert "Tuliskan alasan untuk calon yang belum diputuskan" in response.content.decode()
    kelompok_kenari.refresh_from_db()
    assert kelompok_kenari.state == State.IN_PROGRESS

    pending = list(kelompok_kenari.candidates.filter(decision=""))
    fields = {"confirmed": "1", "reason-all": "Anggaran tidak cukup tahun ini."}
    fields[f"reason-{pending[0].pk}"] = "Lokasi belum siap."
    assert client.post(url, fields).status_code == 302
    reasons = dict(
        Candidate.objects.filter(pk__in=[c.pk for c in pending]).values_list("pk", "reason")
    )
    assert reasons[pending[0].pk] == "Lokasi belum siap."
    assert reasons[pending[1].pk] == "Anggaran tidak cukup tahun ini."
    assert not Candidate.objects.filter(reason__startswith="Tidak terpilih").exists()


def test_submitting_a_proposal_is_confirmed_first(
    client, rw_kenari_001, draft_kenari, django_assert_max_num_queries
):
    client.force_login(rw_kenari_001)
    url = reverse("proposals:submit", args=[draft_kenari.pk])
    with django_assert_max_num_queries(5):
        page = client.get(url).content.decode()
    assert "Ya, ajukan ke kelurahan" in page
    assert "tidak dapat diubah lagi oleh RW" in page
    draft_kenari.refresh_from_db()
    assert draft_kenari.status == Status.DRAFT
    client.post(url)
    draft_kenari.refresh_from_db()
    assert draft_kenari.status == Status.SUBMITTED


# -- The cycle's dates and weights ------------------------------------------------------------


def test_the_rw_window_closes_by_the_pleno_pembuka(kota_jp):
    cycle = open_cycle(kota_jp, "JP30", year=2030)
    cycle.pleno_pembuka_on = cycle.rw_closes - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        cycle.full_clean()
    assert "pleno_pembuka_on" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        cycle.save()


def test_the_sidang_kelompok_end_by_the_musrenbang_kecamatan(kota_jp):
    cycle = open_cycle(
        kota_jp,
        "JP30",
        year=2030,
        kelompok_opens=datetime.date(2030, 2, 27),
        kelompok_closes=datetime.date(2030, 3, 5),
    )
    cycle.kecamatan_opens = datetime.date(2030, 3, 4)
    with pytest.raises(ValidationError) as refused:
        cycle.full_clean()
    assert "kecamatan_opens" in refused.value.message_dict


def test_a_sidang_keeps_the_weights_its_scores_were_made_with(kelompok_kenari, lurah_kenari):
    criteria = list(kelompok_kenari.cycle.criteria.all())
    scored = [
        Placement(p.candidate_id, p.rank, p.decision, "", {str(c.pk): 4 for c in criteria})
        for p in placements(kelompok_kenari)
    ]
    save(kelompok_kenari, lurah_kenari, scored)
    kelompok_kenari.refresh_from_db()
    assert kelompok_kenari.weights == {str(c.pk): [c.name, c.weight] for c in criteria}
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.filter(pk=criteria[0].pk).update(weight=90)


def test_the_weights_stay_free_until_a_score_is_given(kelompok_kenari, lurah_kenari):
    save(kelompok_kenari, lurah_kenari, placements(kelompok_kenari))
    criterion = kelompok_kenari.cycle.criteria.first()
    Criterion.objects.filter(pk=criterion.pk).update(weight=35)
    assert Criterion.objects.get(pk=criterion.pk).weight == 35


def test_the_pleno_penutupan_waits_for_the_musrenbang_kecamatan(cycle, senen, camat_senen):
    penutupan = schedule(cycle, Kind.PLENO_PENUTUPAN, senen)
    with pytest.raises(SessionError, match="Musrenbang Kecamatan Senen: belum dijadwalkan"):
        sidang_start(sidang=penutupan, by=camat_senen)
