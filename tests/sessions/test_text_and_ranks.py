"""The session pages refuse control characters in what they store (the sidang's record, the
attendance list; the ranking's reasons in tests/hostile/test_ranking_save.py), and a rank outside
1 … the number of candidates or in other than ASCII digits."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from sessions.models import Candidate
from tests.sessions.helpers import NEW_PERSON, text, url
from tests.sessions.test_ranking_queries import form
from tests.sessions.test_views import SCHEDULE

CONTROL = "Teks memuat karakter kendali yang tidak sah."


def saved_ranks(sidang) -> list:
    return list(Candidate.objects.filter(sidang=sidang).order_by("pk").values_list("rank"))


# -- Control characters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("venue", "Aula\x1b Kenari"), ("chair", "Lurah\x01"), ("agenda", "Pembahasan\x00")],
)
def test_the_sidang_form_refuses_control_characters(
    client, lurah_kenari, kelompok_kenari, field, value
):
    client.force_login(lurah_kenari)
    before = kelompok_kenari.venue, kelompok_kenari.chair, kelompok_kenari.agenda
    response = client.post(url("edit", kelompok_kenari), {**SCHEDULE, field: value})
    assert response.status_code in (200, 400)
    assert CONTROL in response.context["form"].errors[field]
    assert escape(CONTROL) in text(response)
    kelompok_kenari.refresh_from_db()
    assert (kelompok_kenari.venue, kelompok_kenari.chair, kelompok_kenari.agenda) == before


def test_the_sidang_form_keeps_line_breaks_in_the_agenda(client, lurah_kenari, kelompok_kenari):
    client.force_login(lurah_kenari)
    agenda = "1. Pembukaan\r\n2. Pembahasan\tusulan"
    response = client.post(url("edit", kelompok_kenari), {**SCHEDULE, "agenda": agenda})
    assert response.status_code == 302
    kelompok_kenari.refresh_from_db()
    assert kelompok_kenari.agenda == agenda


@pytest.mark.parametrize("field", ["name", "institution"])
def test_the_attendance_list_refuses_control_characters(
    client, lurah_kenari, kelompok_kenari, field
):
    client.force_login(lurah_kenari)
    response = client.post(url("attendance", kelompok_kenari), {**NEW_PERSON, field: "Haji\x02"})
    assert response.status_code == 400
    assert escape(CONTROL) in text(response)
    assert not kelompok_kenari.participants.exists()


# -- Ranks ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rank", ["9999", "8", "0", "٣", "３", "³", "-1", "1.0"])
def test_a_rank_outside_the_candidates_or_in_other_digits_is_refused(
    client, lurah_kenari, kelompok_kenari, rank
):
    client.force_login(lurah_kenari)
    assert kelompok_kenari.candidates.count() == 7
    before = saved_ranks(kelompok_kenari)
    data = form(kelompok_kenari)
    first = kelompok_kenari.candidates.order_by("proposal__code").first()
    data[f"rank-{first.pk}"] = rank
    response = client.post(reverse("sessions:ranking", args=[kelompok_kenari.pk]), data)
    assert response.status_code == 400
    message = f"Peringkat {first.proposal.code} harus bilangan bulat 1 sampai 7."
    assert escape(message) in text(response)
    assert saved_ranks(kelompok_kenari) == before


def test_a_score_in_other_digits_is_refused(client, lurah_kenari, kelompok_kenari):
    client.force_login(lurah_kenari)
    data = form(kelompok_kenari, scored=True)
    first = kelompok_kenari.candidates.order_by("proposal__code").first()
    criterion = kelompok_kenari.cycle.criteria.first()
    data[f"score-{first.pk}-{criterion.pk}"] = "٣"
    response = client.post(reverse("sessions:ranking", args=[kelompok_kenari.pk]), data)
    assert response.status_code == 400
    assert "Nilai setiap kriteria 1 sampai 5." in text(response)


def test_ranks_from_one_to_the_number_of_candidates_are_saved(
    client, lurah_kenari, kelompok_kenari
):
    client.force_login(lurah_kenari)
    data = form(kelompok_kenari, reverse_order=True)
    response = client.post(reverse("sessions:ranking", args=[kelompok_kenari.pk]), data)
    assert response.status_code == 302
    ranks = sorted(r for (r,) in saved_ranks(kelompok_kenari))
    assert ranks == list(range(1, 8))
