"""Ranking and closing: quota, unique ranks, survey vetoes, stale saves, the freeze, forwarding."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from proposals.models import Event, Status
from sessions.models import Candidate, Decision, Participant, Sidang, State
from sessions.services import (
    RankingConflict,
    SessionError,
    closing_problems,
    sidang_close,
    sidang_start,
)
from tests.session_fixtures import attend, placements, save


def test_a_ranking_is_saved_with_a_new_version(kelompok_kenari, lurah_kenari):
    save(kelompok_kenari, lurah_kenari, placements(kelompok_kenari))
    kelompok_kenari.refresh_from_db()
    assert kelompok_kenari.ranking_version == 1
    assert kelompok_kenari.ranking_saved_by == lurah_kenari
    assert kelompok_kenari.candidates.filter(decision="utama").count() == 5
    assert sorted(kelompok_kenari.candidates.values_list("rank", flat=True)) == list(range(1, 8))


def test_a_sixth_utama_is_refused_and_nothing_changes(
    kelompok_kenari, lurah_kenari, accepted_kenari
):
    items = placements(kelompok_kenari)
    extra = next(p for p in items if p.decision == Decision.CADANGAN)
    not_recommended = accepted_kenari[6]
    assert kelompok_kenari.candidates.get(pk=extra.candidate_id).proposal != not_recommended
    extra.decision = Decision.UTAMA
    with pytest.raises(SessionError, match="Paling banyak 5 usulan utama"):
        save(kelompok_kenari, lurah_kenari, items)
    kelompok_kenari.refresh_from_db()
    assert kelompok_kenari.ranking_version == 0
    assert not kelompok_kenari.candidates.filter(decision="utama").exists()


def test_a_proposal_not_recommended_cannot_be_utama(kelompok_kenari, lurah_kenari, accepted_kenari):
    items = placements(kelompok_kenari, utama=4)
    vetoed = kelompok_kenari.candidates.get(proposal=accepted_kenari[6])
    next(p for p in items if p.candidate_id == vetoed.pk).decision = Decision.UTAMA
    with pytest.raises(SessionError, match="tidak direkomendasikan survei"):
        save(kelompok_kenari, lurah_kenari, items)


def test_two_candidates_cannot_share_a_rank(kelompok_kenari, lurah_kenari):
    items = placements(kelompok_kenari)
    items[1].rank = items[0].rank
    with pytest.raises(SessionError, match="peringkat yang sama"):
        save(kelompok_kenari, lurah_kenari, items)


def test_not_prioritised_needs_a_reason(kelompok_kenari, lurah_kenari):
    items = placements(kelompok_kenari)
    items[-1].decision = Decision.TIDAK
    with pytest.raises(SessionError, match="alasan"):
        save(kelompok_kenari, lurah_kenari, items)
    items[-1].reason = "Dapat ditangani swadaya"
    save(kelompok_kenari, lurah_kenari, items)


def test_a_stale_version_is_told_who_saved_first(kelompok_kenari, lurah_kenari):
    save(kelompok_kenari, lurah_kenari, placements(kelompok_kenari))
    with pytest.raises(RankingConflict, match=r"lurah\.kenari|Lurah Kenari") as raised:
        save(kelompok_kenari, lurah_kenari, placements(kelompok_kenari, utama=2), version=0)
    assert raised.value.sidang.ranking_version == 1
    assert kelompok_kenari.candidates.filter(decision="utama").count() == 5


@pytest.mark.parametrize("who", ["camat_senen", "lurah_paseban", "rw_kenari_001", "suban"])
def test_only_the_lurah_ranks_the_sidang_kelompok(request, kelompok_kenari, who):
    with pytest.raises(SessionError):
        save(kelompok_kenari, request.getfixturevalue(who), placements(kelompok_kenari))


# -- What the database itself refuses, on both engines ----------------------------------------


def test_the_database_refuses_a_duplicate_rank(kelompok_kenari):
    first, second = kelompok_kenari.candidates.all()[:2]
    Candidate.objects.filter(pk=first.pk).update(rank=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.filter(pk=second.pk).update(rank=1)


def test_the_database_refuses_more_utama_than_the_quota(kelompok_kenari):
    candidates = list(kelompok_kenari.candidates.order_by("pk"))
    Candidate.objects.filter(pk__in=[c.pk for c in candidates[:5]]).update(decision="utama")
    with pytest.raises(IntegrityError, match="kuota"), transaction.atomic():
        Candidate.objects.filter(pk=candidates[5].pk).update(decision="utama")
    assert kelompok_kenari.candidates.filter(decision="utama").count() == 5


def test_the_database_refuses_a_refusal_without_reason(kelompok_kenari):
    candidate = kelompok_kenari.candidates.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.filter(pk=candidate.pk).update(decision="tidak", reason="")


def test_the_database_freezes_a_closed_sidang(closed_kenari):
    candidate = closed_kenari.candidates.first()
    with pytest.raises(IntegrityError, match="ditutup"), transaction.atomic():
        Candidate.objects.filter(pk=candidate.pk).update(rank=99)
    with pytest.raises(IntegrityError, match="ditutup"), transaction.atomic():
        Participant.objects.create(sidang=closed_kenari, category="other", name="Terlambat")
    with pytest.raises(IntegrityError, match="ditutup"), transaction.atomic():
        Participant.objects.filter(sidang=closed_kenari).update(name="Diubah")
    with pytest.raises(IntegrityError, match="ditutup"), transaction.atomic():
        Sidang.objects.filter(pk=closed_kenari.pk).update(venue="Tempat lain")
    assert Sidang.objects.get(pk=closed_kenari.pk).venue == closed_kenari.venue


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_also_refuses_deleting_a_closed_sidangs_rows(closed_kenari):
    with pytest.raises(IntegrityError, match="ditutup"), transaction.atomic():
        Participant.objects.filter(sidang=closed_kenari).delete()
    with pytest.raises(IntegrityError, match="ditutup"), transaction.atomic():
        Candidate.objects.filter(sidang=closed_kenari).delete()


def test_the_guards_are_installed(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    expected = (
        {"sidang_candidate_guard", "sidang_participant_guard", "sidang_closed_guard"}
        if connection.vendor == "postgresql"
        else {
            "sidang_candidate_closed_insert",
            "sidang_candidate_closed_update",
            "sidang_participant_closed_insert",
            "sidang_participant_closed_update",
            "sidang_candidate_quota_insert",
            "sidang_candidate_quota_update",
            "sidang_sidang_closed_update",
        }
    )
    assert expected <= names


# -- Closing ----------------------------------------------------------------------------------


def test_closing_needs_attendance_and_a_full_ranking(kelompok_kenari, lurah_kenari):
    problems = closing_problems(kelompok_kenari)
    assert any("Daftar hadir" in p for p in problems)
    assert any("Peringkat belum disimpan" in p for p in problems)
    with pytest.raises(SessionError):
        sidang_close(sidang=kelompok_kenari, by=lurah_kenari)
    attend(kelompok_kenari)
    save(kelompok_kenari, lurah_kenari, placements(kelompok_kenari, utama=3))
    kelompok_kenari.refresh_from_db()
    with pytest.raises(SessionError, match="Baru 3 dari 5"):
        sidang_close(sidang=kelompok_kenari, by=lurah_kenari)
    closed = sidang_close(
        sidang=kelompok_kenari, by=lurah_kenari, shortfall_reason="Hanya tiga usulan layak."
    )
    assert closed.state == State.CLOSED
    assert closed.shortfall_reason == "Hanya tiga usulan layak."


def test_closing_records_every_decision_on_the_proposals(closed_kenari, accepted_kenari):
    proposals = type(accepted_kenari[0]).objects.filter(kelurahan__name="Kenari")
    statuses = sorted(p.status for p in proposals)
    assert statuses.count(Status.KELURAHAN_PRIORITY) == 5
    assert statuses.count(Status.KELURAHAN_RESERVE) == 2
    event = Event.objects.filter(action=Event.Action.RANKED_KELURAHAN).first()
    assert event.actor_office == "Lurah Kenari"
    assert "Sidang Kelompok Kelurahan Kenari" in event.note


def test_a_closed_sidang_refuses_every_service(closed_kenari, lurah_kenari):
    with pytest.raises(SessionError, match="sudah ditutup"):
        save(closed_kenari, lurah_kenari, placements(closed_kenari))
    with pytest.raises(SessionError, match="sudah ditutup"):
        sidang_close(sidang=closed_kenari, by=lurah_kenari)


def test_the_kelurahan_priorities_become_the_kecamatan_candidates(
    closed_kenari, musrenbang_senen, camat_senen
):
    sidang_start(
        sidang=musrenbang_senen, by=camat_senen, stage_exception="Lima kelurahan lain menyusul."
    )
    codes = set(musrenbang_senen.candidates.values_list("proposal__status", flat=True))
    assert codes == {Status.KELURAHAN_PRIORITY}
    assert musrenbang_senen.candidates.count() == 5
    assert musrenbang_senen.quota == 3


def test_the_admin_shows_a_closed_sidang_but_changes_nothing(client, closed_kenari, superuser):
    client.force_login(superuser)
    url = reverse("admin:sidang_sidang_change", args=[closed_kenari.pk])
    assert client.get(url).status_code == 200  # viewable
    response = client.post(url, {"venue": "Tempat lain", "kind": "kelompok"})
    assert response.status_code == 403
    delete = reverse("admin:sidang_sidang_delete", args=[closed_kenari.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Sidang.objects.get(pk=closed_kenari.pk).venue == closed_kenari.venue


def test_the_admin_of_another_kota_gets_404(client, kelompok_kenari, suban_jaksel):
    client.force_login(suban_jaksel)
    url = reverse("admin:sidang_sidang_change", args=[kelompok_kenari.pk])
    assert client.get(url).status_code == 404
