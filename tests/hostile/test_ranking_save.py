"""Saving a ranking under hostile input: refused with the reason and nothing written, or saved
whole (distinct ranks, no surplus or unrecommended utama, the version moved on by one)."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import event, given
from hypothesis import strategies as st

from proposals.models import Recommendation
from sessions.models import Candidate, Decision, Sidang
from tests.hostile.conftest import hostile_settings, rolled_back
from tests.hostile.strategies import any_text, one_of_or_junk
from tests.sessions.test_ranking_queries import form


def state(sidang) -> tuple:
    return (
        list(Candidate.objects.order_by("pk").values_list()),
        list(Sidang.objects.filter(pk=sidang.pk).values_list("ranking_version", "state")),
    )


def posts(sidang) -> st.SearchStrategy:
    """A valid ranking form with any of its fields replaced by something else."""
    base = form(sidang, scored=True)
    candidates = list(sidang.candidates.values_list("pk", flat=True))
    criteria = list(sidang.cycle.criteria.values_list("pk", flat=True))
    size = len(candidates)
    per_field = {
        "version": one_of_or_junk(base["version"], "0", "99", "-1"),
        "action": one_of_or_junk("save", "sort_score"),
        "move": one_of_or_junk(
            "", *(f"{d}-{pk}" for pk in candidates for d in ("up", "down")), "up-0", "sideways-1"
        ),
    }
    for pk in candidates:
        per_field[f"rank-{pk}"] = one_of_or_junk(*map(str, range(1, size + 2)), "", "0", "10000")
        per_field[f"decision-{pk}"] = one_of_or_junk("", *Decision.values)
        per_field[f"reason-{pk}"] = any_text
        for criterion in criteria:
            per_field[f"score-{pk}-{criterion}"] = one_of_or_junk("", "1", "5", "6", "0")
    changes = st.dictionaries(st.sampled_from(sorted(per_field)), st.none(), max_size=6).flatmap(
        lambda keys: st.fixed_dictionaries({key: per_field[key] for key in keys})
    )
    return changes.map(lambda changed: {**base, **changed})


def check_saved(sidang, version_before: int) -> None:
    sidang.refresh_from_db()
    assert sidang.ranking_version == version_before + 1
    candidates = list(sidang.candidates.select_related("proposal"))
    ranks = [c.rank for c in candidates if c.rank is not None]
    assert len(ranks) == len(set(ranks)) and all(r >= 1 for r in ranks)
    utama = [c for c in candidates if c.decision == Decision.UTAMA]
    assert len(utama) <= sidang.quota
    for c in utama:
        assert c.rank is not None
        assert c.proposal.recommendation != Recommendation.NOT_RECOMMENDED
    for c in candidates:
        assert all(1 <= value <= 5 for value in c.scores.values())
        if c.decision == Decision.TIDAK:
            assert c.reason.strip()


def test_a_ranking_save_refuses_or_saves_whole(client, lurah_kenari, kelompok_kenari, examples):
    client.force_login(lurah_kenari)
    url = reverse("sessions:ranking", args=[kelompok_kenari.pk])

    @hostile_settings(examples)
    @given(posted=posts(kelompok_kenari))
    def check(posted):
        with rolled_back():
            before = state(kelompok_kenari)
            version = kelompok_kenari.ranking_version
            response = client.post(url, posted)
            assert response.status_code < 500
            event(f"HTTP {response.status_code}")
            if response.status_code == 302:
                check_saved(Sidang.objects.get(pk=kelompok_kenari.pk), version)
            else:
                assert response.status_code in (400, 409)
                error = response.context["error"]
                assert error and escape(error) in response.content.decode()
                assert state(kelompok_kenari) == before

    check()


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x85"], ids=["nul", "escape", "c1"])
def test_a_control_character_is_refused_not_a_server_error(
    client, lurah_kenari, kelompok_kenari, control
):
    """Found by the property above on PostgreSQL, which cannot store NUL in text; every other
    control character is refused as the forms refuse it."""
    client.force_login(lurah_kenari)
    before = state(kelompok_kenari)
    data = form(kelompok_kenari)
    first = kelompok_kenari.candidates.order_by("proposal__code").first()
    data[f"reason-{first.pk}"] = f"alasan{control}"
    response = client.post(reverse("sessions:ranking", args=[kelompok_kenari.pk]), data)
    assert response.status_code == 400
    assert escape("Teks memuat karakter kendali yang tidak sah.") in response.content.decode()
    assert state(kelompok_kenari) == before
    closing = client.post(
        reverse("sessions:close", args=[kelompok_kenari.pk]), {"shortfall_reason": f"x{control}"}
    )
    assert closing.status_code == 400
    assert escape("Teks memuat karakter kendali yang tidak sah.") in closing.content.decode()
    kelompok_kenari.refresh_from_db()
    assert kelompok_kenari.state == "in_progress"
