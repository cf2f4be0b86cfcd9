"""The attendance pages of sessions/attendance_views.py: the list, adding, removing, delegates."""

import pytest

from sessions.models import Participant
from tests.session_fixtures import attend
from tests.sessions.helpers import NEW_PERSON, text, url

# -- Scope: outside the sidang a participant does not exist -----------------------------------


def test_a_participant_of_another_sidang_is_not_found(
    client, lurah_kenari, kelompok_kenari, kelompok_paseban
):
    stranger = attend(kelompok_paseban, 1)[0]
    client.force_login(lurah_kenari)
    for name in ("participant_remove", "participant_delegate"):
        assert client.post(url(name, kelompok_kenari, stranger)).status_code == 404
    assert Participant.objects.filter(pk=stranger.pk, is_delegate=True).exists()


# -- Attendance -------------------------------------------------------------------------------


def test_the_runner_adds_a_participant_and_is_ready_for_the_next(
    client, lurah_kenari, kelompok_kenari
):
    client.force_login(lurah_kenari)
    response = client.post(url("attendance", kelompok_kenari), {**NEW_PERSON, "is_delegate": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(url("attendance", kelompok_kenari) + "?")
    person = kelompok_kenari.participants.get()
    assert (person.name, person.category, person.institution, person.is_delegate) == (
        "Haji Sulaiman",
        "tokoh_masyarakat",
        "Masjid Al-Ikhlas",
        True,
    )
    response = client.get(response["Location"])
    page = text(response)
    assert "Haji Sulaiman dicatat dalam daftar hadir." in page
    assert "Haji Sulaiman" in page
    form = response.context["form"]
    assert form.initial["category"] == "tokoh_masyarakat"
    assert form.fields["name"].widget.attrs.get("autofocus")


def test_a_participant_needs_a_name(client, lurah_kenari, kelompok_kenari):
    client.force_login(lurah_kenari)
    response = client.post(url("attendance", kelompok_kenari), {**NEW_PERSON, "name": "  "})
    assert response.status_code == 400
    assert "Bidang ini tidak boleh kosong" in text(response)
    assert not kelompok_kenari.participants.exists()


def test_an_unknown_category_is_refused(client, lurah_kenari, kelompok_kenari):
    client.force_login(lurah_kenari)
    response = client.post(url("attendance", kelompok_kenari), {**NEW_PERSON, "category": "raja"})
    assert response.status_code == 400
    assert not kelompok_kenari.participants.exists()


def test_the_runner_removes_a_participant(client, lurah_kenari, kelompok_kenari):
    first, second = attend(kelompok_kenari, 2)
    client.force_login(lurah_kenari)
    response = client.post(url("participant_remove", kelompok_kenari, first), follow=True)
    assert "Peserta 1 dihapus dari daftar hadir." in text(response)
    assert list(kelompok_kenari.participants.all()) == [second]


def test_the_runner_toggles_a_delegate(client, lurah_kenari, kelompok_kenari):
    person = attend(kelompok_kenari, 1, delegates=0)[0]
    client.force_login(lurah_kenari)
    client.post(url("participant_delegate", kelompok_kenari, person))
    person.refresh_from_db()
    assert person.is_delegate
    client.post(url("participant_delegate", kelompok_kenari, person))
    person.refresh_from_db()
    assert not person.is_delegate


@pytest.mark.parametrize("name", ["participant_remove", "participant_delegate"])
def test_participant_steps_reject_get(client, lurah_kenari, kelompok_kenari, name):
    person = attend(kelompok_kenari, 1)[0]
    client.force_login(lurah_kenari)
    assert client.get(url(name, kelompok_kenari, person)).status_code == 405
    assert Participant.objects.filter(pk=person.pk, is_delegate=True).exists()


def test_the_attendance_page_is_phone_friendly(client, lurah_kenari, kelompok_kenari):
    attend(kelompok_kenari, 2)
    client.force_login(lurah_kenari)
    page = text(client.get(url("attendance", kelompok_kenari)))
    assert 'class="table-responsive"' in page
    assert ">No.</th>" in page
    assert "Ketua RW" in page  # the unsur of the second participant
    assert url("participant_remove", kelompok_kenari, kelompok_kenari.participants.first()) in page


def test_the_camat_cannot_add_to_a_kelurahan_attendance(client, camat_senen, kelompok_kenari):
    attend(kelompok_kenari, 1)
    client.force_login(camat_senen)
    response = client.get(url("attendance", kelompok_kenari))
    assert response.context["form"] is None
    assert url("participant_remove", kelompok_kenari, kelompok_kenari.participants.get()) not in (
        text(response)
    )
    response = client.post(url("attendance", kelompok_kenari), NEW_PERSON)
    assert response.status_code == 403
    assert kelompok_kenari.participants.count() == 1
    person = kelompok_kenari.participants.get()
    client.post(url("participant_remove", kelompok_kenari, person))
    client.post(url("participant_delegate", kelompok_kenari, person))
    assert Participant.objects.filter(pk=person.pk, is_delegate=True).exists()


def test_attendance_queries_are_bounded(
    client, lurah_kenari, kelompok_kenari, django_assert_max_num_queries
):
    attend(kelompok_kenari, 40)
    client.force_login(lurah_kenari)
    with django_assert_max_num_queries(8):
        client.get(url("attendance", kelompok_kenari))


# -- A closed sidang is final -----------------------------------------------------------------


def test_a_closed_attendance_list_does_not_change(client, camat_senen, closed_pleno):
    client.force_login(camat_senen)
    response = client.post(url("attendance", closed_pleno), NEW_PERSON, follow=True)
    assert "Sidang sudah ditutup; isinya tidak dapat diubah lagi." in text(response)
    response = client.post(url("attendance", closed_pleno), {**NEW_PERSON, "name": ""}, follow=True)
    assert "tidak dapat Anda ubah" in text(response)
    person = closed_pleno.participants.first()
    client.post(url("participant_remove", closed_pleno, person))
    client.post(url("participant_delegate", closed_pleno, person))
    assert closed_pleno.participants.count() == 2
    assert Participant.objects.filter(pk=person.pk, is_delegate=True).exists()
