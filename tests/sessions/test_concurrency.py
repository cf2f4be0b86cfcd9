"""Two officials saving one ranking at the same moment: the second is told, nothing is lost.

Real concurrent transactions on PostgreSQL: two threads, each with its own connection. SQLite
serialises every writer, so the race cannot be staged there.
"""

import threading
import time

import pytest
from django.db import connection, connections

from sessions import services
from sessions.models import Decision, Sidang
from tests.conftest import official
from tests.sessions.test_ranking import placements

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'", reason="needs concurrent writers (PostgreSQL)"
    ),
]


def test_the_second_of_two_simultaneous_saves_is_refused(
    kelompok_kenari, lurah_kenari, kenari, monkeypatch
):
    staff = official("staf.kenari", "lurah", area=kenari, first_name="Staf Kelurahan")
    first = placements(kelompok_kenari, utama=5)
    second = placements(kelompok_kenari, utama=2)
    # Hold each transaction open a moment after it claims the version, so the two overlap.
    validate = services._validate

    def slow_validate(*args, **kwargs):
        time.sleep(0.3)
        return validate(*args, **kwargs)

    monkeypatch.setattr(services, "_validate", slow_validate)
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def save(name, user, items):
        try:
            start.wait()
            services.ranking_save(sidang=kelompok_kenari, placements=items, version=0, by=user)
            outcomes[name] = "saved"
        except services.RankingConflict as conflict:
            outcomes[name] = conflict
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=("lurah", lurah_kenari, first)),
        threading.Thread(target=save, args=("staf", staff, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(type(o).__name__ for o in outcomes.values()) == ["RankingConflict", "str"]
    winner = next(name for name, o in outcomes.items() if o == "saved")
    loser = outcomes["staf" if winner == "lurah" else "lurah"]
    sidang = Sidang.objects.get(pk=kelompok_kenari.pk)
    assert sidang.ranking_version == 1
    winner_user = lurah_kenari if winner == "lurah" else staff
    assert sidang.ranking_saved_by == winner_user
    assert (winner_user.get_full_name() or winner_user.username) in str(loser)
    utama = sidang.candidates.filter(decision=Decision.UTAMA).count()
    assert utama == (5 if winner == "lurah" else 2)
    assert connection.vendor == "postgresql"
