"""Saving a ranking: a few queries whatever the size of the table or the database; only the
candidates that change are written, and the database's guards never see a duplicate rank or a
surplus utama, not even for a moment."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals.models import Status
from sessions import services
from sessions.models import Candidate, Decision, Kind, Sidang
from sessions.services import Placement, SessionError, ranking_save
from tests.proposal_fixtures import make_proposal, recommended
from tests.session_fixtures import schedule

# Statements that only steer the transaction: the test's own transaction turns the save's
# into a savepoint, which a request does not make (the bench does not count them either).
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT", "ROLLBACK")


def sidang_with(cycle, area, rws, item, creator, n: int) -> Sidang:
    """A sidang kelompok in progress with `n` accepted proposals of `area` on its table."""
    recommended(cycle, rws, item, creator, n)
    return schedule(cycle, Kind.KELOMPOK, area, state="in_progress")


def form(sidang: Sidang, *, reverse_order=False, scored=False) -> dict:
    """The ranking form as the bench posts it: all ranked, the first five eligible utama."""
    candidates = list(sidang.candidates.select_related("proposal").order_by("proposal__code"))
    criteria = list(sidang.cycle.criteria.all())
    fields = {"version": str(sidang.ranking_version), "action": "save"}
    utama = [c for c in candidates if not services.utama_refusal(c.proposal, sidang.cycle)]
    for rank, c in enumerate(candidates[::-1] if reverse_order else candidates, start=1):
        fields[f"rank-{c.pk}"] = str(rank)
        fields[f"decision-{c.pk}"] = Decision.UTAMA if c in utama[:5] else Decision.CADANGAN
        fields[f"reason-{c.pk}"] = f"Catatan {rank}" if scored else ""
        for criterion in criteria if scored else ():
            fields[f"score-{c.pk}-{criterion.pk}"] = str(1 + rank % 5)
    return fields


def save_queries(client, sidang: Sidang, data: dict) -> list[str]:
    """The SQL of one save through the page, as a request makes it."""
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("sessions:ranking", args=[sidang.pk]), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return [q["sql"] for q in captured if not q["sql"].startswith(TRANSACTION_CONTROL)]


@pytest.fixture
def small(cycle, paseban, rw_paseban, betonisasi, superuser):
    return sidang_with(cycle, paseban, [rw_paseban], betonisasi, superuser, 5)


@pytest.fixture
def large(cycle, kenari, rw_kenari, betonisasi, tenda, rw_paseban, superuser):
    """Thirty candidates, amid proposals and another sidang's table that have nothing to do
    with it."""
    for i in range(40):
        make_proposal(cycle, rw_kenari[i % 2], tenda, superuser, status=Status.SUBMITTED)
    sidang = sidang_with(cycle, kenari, rw_kenari, betonisasi, superuser, 30)
    assert sidang.candidates.count() == 30
    return sidang


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({}, id="the same order again"),
        pytest.param({"reverse_order": True, "scored": True}, id="every candidate changes"),
    ],
)
def test_a_save_makes_the_same_few_queries_whatever_the_size(
    client, superuser, small, large, change
):
    client.force_login(superuser)
    for sidang in (small, large):  # a first save, so that the measured one finds a ranking
        save_queries(client, sidang, form(sidang))
        sidang.refresh_from_db()
    few = save_queries(client, small, form(small, **change))
    many = save_queries(client, large, form(large, **change))
    assert len(few) == len(many) <= 10, "\n".join(many)


def test_the_lurah_makes_as_many_queries_as_the_superuser(client, superuser, lurah_kenari, large):
    counts = []
    for user, reverse_order in ((superuser, False), (lurah_kenari, True)):  # both reorder
        client.force_login(user)
        counts.append(len(save_queries(client, large, form(large, reverse_order=reverse_order))))
        large.refresh_from_db()
    assert counts[0] == counts[1]


def test_a_save_that_changes_nothing_writes_no_candidate(client, superuser, large):
    client.force_login(superuser)
    save_queries(client, large, form(large))
    large.refresh_from_db()
    queries = save_queries(client, large, form(large))
    assert not [sql for sql in queries if "sidang_candidate" in sql and "UPDATE" in sql]
    large.refresh_from_db()
    assert (large.ranking_version, large.ranking_saved_by) == (2, superuser)


def test_scores_reasons_and_a_reversed_order_are_written(client, superuser, large):
    client.force_login(superuser)
    save_queries(client, large, form(large))
    large.refresh_from_db()
    save_queries(client, large, form(large, reverse_order=True, scored=True))
    candidates = list(large.candidates.select_related("proposal").order_by("proposal__code"))
    assert [c.rank for c in candidates] == list(range(30, 0, -1))
    assert sum(c.decision == Decision.UTAMA for c in candidates) == 5
    first = candidates[0]  # rank 30: every criterion scored 1 + 30 % 5 = 1, the lowest
    assert first.reason == "Catatan 30"
    assert set(first.scores.values()) == {1}
    assert first.score == 20


def test_a_stale_save_is_told_who_saved_first_and_changes_nothing(
    client, lurah_kenari, kelompok_kenari
):
    client.force_login(lurah_kenari)
    url = reverse("sessions:ranking", args=[kelompok_kenari.pk])
    stale = form(kelompok_kenari)  # the page as loaded at version 0
    assert client.post(url, form(kelompok_kenari, reverse_order=True)).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "sudah disimpan oleh Lurah Kenari" in response.content.decode()
    candidates = kelompok_kenari.candidates.order_by("proposal__code")
    assert [c.rank for c in candidates] == list(range(7, 0, -1))


# -- What the write path must get past the database's guards, on both engines ----------------


def placements(sidang) -> list[Placement]:
    return [
        Placement(c.pk, c.rank, c.decision, c.reason, c.scores)
        for c in sidang.candidates.order_by("pk")
    ]


def test_two_candidates_swap_ranks_and_the_utama(kelompok_kenari, lurah_kenari):
    """Rank 1 and 2 change places and an utama moves at a full quota: written without clearing
    them first, the database would meet a duplicate rank (PostgreSQL's unique index) or a
    sixth utama (SQLite's quota trigger) halfway through."""
    items = placements(kelompok_kenari)
    for rank, p in enumerate(items, start=1):
        p.rank, p.decision = rank, Decision.UTAMA if rank <= 5 else Decision.CADANGAN
    ranking_save(sidang=kelompok_kenari, placements=items, version=0, by=lurah_kenari)
    first, sixth = items[0], items[5]
    first.rank, items[1].rank = 2, 1
    first.decision, sixth.decision = Decision.CADANGAN, Decision.UTAMA
    ranking_save(sidang=kelompok_kenari, placements=items, version=1, by=lurah_kenari)
    stored = {c.pk: (c.rank, c.decision) for c in kelompok_kenari.candidates.all()}
    assert stored[first.candidate_id] == (2, Decision.CADANGAN)
    assert stored[items[1].candidate_id] == (1, Decision.UTAMA)
    assert stored[sixth.candidate_id] == (6, Decision.UTAMA)


def test_every_rank_can_be_cleared_again(kelompok_kenari, lurah_kenari):
    items = placements(kelompok_kenari)
    for rank, p in enumerate(items, start=1):
        p.rank = rank
    ranking_save(sidang=kelompok_kenari, placements=items, version=0, by=lurah_kenari)
    for p in items:
        p.rank = None
    returned = ranking_save(sidang=kelompok_kenari, placements=items, version=1, by=lurah_kenari)
    assert returned.ranking_version == 2
    assert not Candidate.objects.filter(sidang=kelompok_kenari, rank__isnull=False).exists()


def test_what_the_checks_miss_the_database_refuses_and_nothing_is_kept(
    kelompok_kenari, lurah_kenari, monkeypatch
):
    monkeypatch.setattr(services, "_validate", lambda *args: None)
    items = placements(kelompok_kenari)
    for rank, p in enumerate(items, start=1):
        p.rank, p.decision = rank, Decision.UTAMA  # seven utama for a quota of five
    with pytest.raises(SessionError, match="Peringkat ditolak"):
        ranking_save(sidang=kelompok_kenari, placements=items, version=0, by=lurah_kenari)
    kelompok_kenari.refresh_from_db()
    assert kelompok_kenari.ranking_version == 0
    assert not kelompok_kenari.candidates.exclude(decision="").exists()


# -- Bad input through the page -----------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("rank", "satu", "harus bilangan bulat"),
        ("score", "lima", "Nilai setiap kriteria 1 sampai 5"),
        ("score", "9", "Nilai setiap kriteria 1 sampai 5"),
        ("decision", "juara", "Keputusan tidak dikenal"),
    ],
)
def test_bad_input_is_told_and_nothing_is_saved(
    client, lurah_kenari, kelompok_kenari, field, value, message
):
    client.force_login(lurah_kenari)
    data = form(kelompok_kenari)
    candidate = kelompok_kenari.candidates.order_by("proposal__code").first()
    if field == "score":
        data[f"score-{candidate.pk}-{kelompok_kenari.cycle.criteria.first().pk}"] = value
    else:
        data[f"{field}-{candidate.pk}"] = value
    response = client.post(reverse("sessions:ranking", args=[kelompok_kenari.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    kelompok_kenari.refresh_from_db()
    assert kelompok_kenari.ranking_version == 0
    assert not kelompok_kenari.candidates.exclude(rank=None).exists()
