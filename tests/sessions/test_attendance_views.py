"""The attendance pages of sessions/attendance_views.py: the list, adding, removing, delegates,
inviting whole groups and ticking who came."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from areas.models import Role
from sessions.models import Participant
from tests.conftest import official
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


# -- Whole groups at once: invite, then tick who came -----------------------------------------


@pytest.fixture
def rw_kenari_002(rw_kenari):
    return official("rw.kenari.002", Role.RW, area=rw_kenari[1], first_name="Bambang Sutrisno")


@pytest.fixture
def rw_paseban_001(rw_paseban):
    return official("rw.paseban.001", Role.RW, area=rw_paseban)


def test_the_runner_invites_every_ketua_rw_of_the_kelurahan_once(
    client, lurah_kenari, kelompok_kenari, rw_kenari_001, rw_kenari_002, rw_paseban_001
):
    client.force_login(lurah_kenari)
    response = client.post(
        url("participants_invite", kelompok_kenari), {"group": "rw"}, follow=True
    )
    assert response.redirect_chain == [(url("attendance", kelompok_kenari), 302)]
    assert "2 ketua RW ditambahkan ke daftar hadir; centang yang hadir." in text(response)
    invited = kelompok_kenari.participants.order_by("name")
    assert list(invited.values_list("name", "category", "present")) == [
        ("Bambang Sutrisno", "ketua_rw", False),
        ("rw.kenari.001", "ketua_rw", False),
    ]
    response = client.post(
        url("participants_invite", kelompok_kenari), {"group": "rw"}, follow=True
    )
    assert "Tidak ada ketua RW baru" in text(response)
    assert kelompok_kenari.participants.count() == 2


def test_the_page_counts_who_is_present_against_the_quorum(
    client, lurah_kenari, kelompok_kenari, rw_kenari_001, rw_kenari_002
):
    attend(kelompok_kenari, 1)
    client.force_login(lurah_kenari)
    client.post(url("participants_invite", kelompok_kenari), {"group": "rw"})
    page = text(client.get(url("attendance", kelompok_kenari)))
    quorum = kelompok_kenari.cycle.quorum_kelompok
    assert f"Hadir 1 dari 3 terdaftar · kuorum {quorum}" in page
    assert page.count('form="kehadiran"') == 3
    assert page.count('form="kehadiran" checked') == 1
    assert 'id="kehadiran"' in page
    assert "Undang semua ketua RW" in page
    assert "Ambil delegasi dari sidang kelompok" not in page  # only for a musrenbang kecamatan


def test_the_runner_ticks_who_came_and_unticks(
    client, lurah_kenari, kelompok_kenari, rw_kenari_001, rw_kenari_002
):
    client.force_login(lurah_kenari)
    client.post(url("participants_invite", kelompok_kenari), {"group": "rw"})
    first, second = kelompok_kenari.participants.order_by("pk")
    response = client.post(
        url("participants_present", kelompok_kenari),
        {"present": [first.pk, second.pk]},
        follow=True,
    )
    assert "Kehadiran disimpan: 2 peserta berubah." in text(response)
    assert set(kelompok_kenari.participants.values_list("present", flat=True)) == {True}
    response = client.post(
        url("participants_present", kelompok_kenari), {"present": [second.pk]}, follow=True
    )
    assert "Kehadiran disimpan: 1 peserta berubah." in text(response)
    present = dict(kelompok_kenari.participants.values_list("pk", "present"))
    assert present == {first.pk: False, second.pk: True}
    client.post(url("participants_present", kelompok_kenari))  # nothing ticked: nobody came
    assert not kelompok_kenari.participants.filter(present=True).exists()


def test_ticks_that_are_not_ids_change_nothing(client, lurah_kenari, kelompok_kenari):
    person = attend(kelompok_kenari, 1)[0]
    client.force_login(lurah_kenari)
    response = client.post(
        url("participants_present", kelompok_kenari), {"present": ["1; DROP"]}, follow=True
    )
    assert "Kehadiran tidak disimpan" in text(response)
    assert Participant.objects.get(pk=person.pk).present


def test_another_sidangs_participant_is_not_ticked(
    client, lurah_kenari, kelompok_kenari, kelompok_paseban
):
    stranger = attend(kelompok_paseban, 1)[0]
    Participant.objects.filter(pk=stranger.pk).update(present=False)
    client.force_login(lurah_kenari)
    client.post(url("participants_present", kelompok_kenari), {"present": [stranger.pk]})
    assert not Participant.objects.get(pk=stranger.pk).present


def test_the_camat_takes_the_delegates_of_the_closed_sidang_kelompok(
    client, camat_senen, closed_kenari, musrenbang_senen
):
    delegate = closed_kenari.participants.get(is_delegate=True)
    client.force_login(camat_senen)
    assert "Ambil delegasi dari sidang kelompok" in text(
        client.get(url("attendance", musrenbang_senen))
    )
    response = client.post(
        url("participants_invite", musrenbang_senen), {"group": "delegasi"}, follow=True
    )
    assert "1 delegasi ditambahkan ke daftar hadir; centang yang hadir." in text(response)
    taken = musrenbang_senen.participants.get()
    assert (taken.name, taken.category, taken.present) == (delegate.name, delegate.category, False)
    client.post(url("participants_invite", musrenbang_senen), {"group": "delegasi"})
    assert musrenbang_senen.participants.count() == 1


@pytest.mark.parametrize("group", ["delegasi", "", "semua"])
def test_a_group_the_sidang_does_not_take_is_refused(
    client, lurah_kenari, kelompok_kenari, rw_kenari_001, group
):
    client.force_login(lurah_kenari)
    response = client.post(
        url("participants_invite", kelompok_kenari), {"group": group}, follow=True
    )
    assert "Pilih kelompok peserta yang akan diundang." in text(response)
    assert not kelompok_kenari.participants.exists()


def test_a_closed_list_takes_no_group_and_no_ticks(client, camat_senen, closed_pleno):
    client.force_login(camat_senen)
    response = client.post(url("participants_invite", closed_pleno), {"group": "rw"}, follow=True)
    assert "Sidang sudah ditutup; isinya tidak dapat diubah lagi." in text(response)
    response = client.post(url("participants_present", closed_pleno), follow=True)
    assert "Sidang sudah ditutup; isinya tidak dapat diubah lagi." in text(response)
    assert closed_pleno.participants.filter(present=True).count() == 2
    assert 'form="kehadiran"' not in text(response)


@pytest.mark.parametrize("name", ["participants_invite", "participants_present"])
def test_bulk_steps_reject_get(client, lurah_kenari, kelompok_kenari, name):
    client.force_login(lurah_kenari)
    assert client.get(url(name, kelompok_kenari)).status_code == 405


@pytest.mark.parametrize("name", ["participants_invite", "participants_present"])
@pytest.mark.parametrize(("who", "status"), [("lurah_paseban", 404), ("camat_senen", 403)])
def test_only_the_runner_takes_bulk_steps(
    request, client, kelompok_kenari, rw_kenari_001, name, who, status
):
    """Another kelurahan's lurah does not find the sidang; the camat sees it, does not run it."""
    person = attend(kelompok_kenari, 1)[0]
    client.force_login(request.getfixturevalue(who))
    assert client.post(url(name, kelompok_kenari), {"group": "rw"}).status_code == status
    assert list(kelompok_kenari.participants.values_list("pk", "present")) == [(person.pk, True)]


def test_the_camat_sees_who_came_without_the_bulk_controls(client, camat_senen, kelompok_kenari):
    attend(kelompok_kenari, 2)
    kelompok_kenari.participants.filter(name="Peserta 2").update(present=False)
    client.force_login(camat_senen)
    page = text(client.get(url("attendance", kelompok_kenari)))
    assert "Hadir 1 dari 2 terdaftar" in page
    assert "Undang semua ketua RW" not in page
    assert 'form="kehadiran"' not in page


def test_attendance_queries_do_not_grow_with_the_list(client, lurah_kenari, kelompok_kenari):
    client.force_login(lurah_kenari)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("attendance", kelompok_kenari)).status_code == 200
        return len(captured)

    attend(kelompok_kenari, 2)
    few = queries()
    attend(kelompok_kenari, 40)
    kelompok_kenari.participants.update(present=False)  # unticked rows render alike
    assert queries() == few


def test_a_tick_given_meanwhile_is_kept(client, lurah_kenari, kelompok_kenari):
    """Someone added at the door after the page was opened keeps the tick another gave them."""
    shown = attend(kelompok_kenari, 2)
    added_later = attend(kelompok_kenari, 1)[0]
    client.force_login(lurah_kenari)
    client.post(
        url("participants_present", kelompok_kenari),
        {"present": [shown[0].pk], "listed": [p.pk for p in shown]},
    )
    present = dict(kelompok_kenari.participants.values_list("pk", "present"))
    assert present == {shown[0].pk: True, shown[1].pk: False, added_later.pk: True}
