"""The session pages of sessions/views.py: list, scheduling, pleno pembuka serentak, one sidang."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import Area, User
from areas.services import rw_ensure
from sessions.models import Kind, Participant, Sidang, State
from tests.session_fixtures import JAKARTA, attend, held, schedule
from tests.sessions.helpers import NEW_PERSON, text, url

OUTSIDERS = ["lurah_paseban", "camat_gambir", "suban_jaksel", "unassigned"]

SCHEDULE = {
    "date": "2024-02-27",
    "time": "09:00",
    "venue": "Aula Kantor Kelurahan Kenari",
    "mode": "luring",
    "meeting_link": "",
    "chair": "Lurah Kenari",
    "minute_taker": "Sekretaris Kelurahan",
    "agenda": "Pembahasan usulan prioritas kelurahan",
    "notes": "",
}


# -- Scope: outside the area a sidang does not exist ------------------------------------------

SIDANG_STEPS = [
    ("get", "detail"),
    ("get", "edit"),
    ("post", "edit"),
    ("post", "start"),
    ("get", "attendance"),
    ("post", "attendance"),
    ("post", "participant_remove"),
    ("post", "participant_delegate"),
]


@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize(("method", "name"), SIDANG_STEPS)
def test_an_official_of_another_area_gets_404(
    client, request, kelompok_kenari, outsider, method, name
):
    participant = attend(kelompok_kenari, 1)[0]
    client.force_login(request.getfixturevalue(outsider))
    with_participant = name.startswith("participant_")
    target = url(name, kelompok_kenari, participant if with_participant else None)
    data = {**SCHEDULE, **NEW_PERSON} if method == "post" else None
    assert getattr(client, method)(target, data).status_code == 404
    assert Participant.objects.filter(pk=participant.pk, is_delegate=True).exists()
    kelompok_kenari.refresh_from_db()
    assert kelompok_kenari.venue == "Aula Kelurahan Kenari"


@pytest.mark.parametrize(
    "name", ["detail", "edit", "start", "attendance", "participant_remove", "list", "create"]
)
def test_a_visitor_is_sent_to_sign_in(client, kelompok_kenari, name):
    participant = attend(kelompok_kenari, 1)[0]
    if name in ("list", "create"):
        target = reverse(f"sessions:{name}")
    elif name.startswith("participant_"):
        target = url(name, kelompok_kenari, participant)
    else:
        target = url(name, kelompok_kenari)
    response = (
        client.post(target) if name in ("start", "participant_remove") else client.get(target)
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# -- The list ---------------------------------------------------------------------------------


def listed(response) -> set[str]:
    return {str(row.record) for row in response.context["table"].paginated_rows}


def test_a_lurah_lists_the_kelurahan_sessions_only(
    client, lurah_kenari, kelompok_kenari, kelompok_paseban, musrenbang_senen
):
    client.force_login(lurah_kenari)
    assert listed(client.get(reverse("sessions:list"))) == {"Sidang Kelompok Kelurahan Kenari"}


def test_a_camat_lists_the_kecamatan_and_its_kelurahan(
    client, camat_senen, kelompok_kenari, kelompok_paseban, musrenbang_senen
):
    client.force_login(camat_senen)
    assert listed(client.get(reverse("sessions:list"))) == {
        "Sidang Kelompok Kelurahan Kenari",
        "Sidang Kelompok Kelurahan Paseban",
        "Musrenbang Kecamatan Senen",
    }


def test_the_list_shows_when_where_and_how_far(client, camat_senen, kelompok_kenari):
    client.force_login(camat_senen)
    page = text(client.get(reverse("sessions:list")))
    assert "27 Februari 2024, 09.00" in page
    assert "Aula Kelurahan Kenari" in page
    assert "Berlangsung" in page
    assert kelompok_kenari.get_absolute_url() in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "kelompok"}, 2),
        ({"state": "in_progress"}, 1),
        ({"kind": "kecamatan", "state": "scheduled"}, 1),
        ({"kind": "bukan-jenis"}, 3),  # an unknown value filters nothing and breaks nothing
    ],
)
def test_filters(
    client, suban, kelompok_kenari, kelompok_paseban, musrenbang_senen, params, expected
):
    client.force_login(suban)
    response = client.get(reverse("sessions:list"), params)
    assert response.status_code == 200
    assert len(listed(response)) == expected


@pytest.mark.parametrize(
    ("user", "schedule_button", "all_button"),
    [
        ("lurah_kenari", True, False),
        ("camat_senen", True, False),
        ("rw_kenari_001", True, False),
        ("suban", True, True),
        ("unassigned", False, False),
    ],
)
def test_the_schedule_buttons_follow_the_role(
    client, request, cycle, user, schedule_button, all_button
):
    client.force_login(request.getfixturevalue(user))
    page = text(client.get(reverse("sessions:list")))
    assert (reverse("sessions:create") in page) is schedule_button
    assert (reverse("sessions:pleno_pembuka_all") in page) is all_button


def grow(cycle, areas, kenari):
    """A sidang kelompok for each kelurahan and a rembuk RW for each RW in `areas`."""
    for area in areas:
        kind = Kind.REMBUK_RW if area.level == "rw" else Kind.KELOMPOK
        schedule(cycle, kind, area, state="in_progress" if area.pk % 2 else "scheduled")


@pytest.mark.parametrize(
    "params", [{}, {"kind": "rembuk_rw"}, {"state": "scheduled", "sort": "-area"}]
)
def test_list_queries_do_not_grow_with_the_data(client, suban, cycle, kenari, params):
    rws = rw_ensure(kelurahan=kenari, count=15)
    kelurahan = list(Area.objects.kelurahan().filter(code__startswith="31.71.")[:15])
    areas = [a for pair in zip(rws, kelurahan, strict=True) for a in pair]
    client.force_login(suban)
    grow(cycle, areas[:3], kenari)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("sessions:list"), params)
    grow(cycle, areas[3:], kenari)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("sessions:list"), params)
    assert Sidang.objects.count() == 30
    assert "RW 015 Kenari" in text(client.get(reverse("sessions:list")))
    assert len(large) == len(small)
    assert len(large) <= 10


# -- Scheduling -------------------------------------------------------------------------------


def test_a_lurah_is_offered_the_sidang_kelompok_of_the_kelurahan(
    client, lurah_kenari, cycle, kenari
):
    client.force_login(lurah_kenari)
    form = client.get(reverse("sessions:create")).context["form"]
    assert [value for value, _ in form.fields["kind"].choices] == [Kind.KELOMPOK]
    assert list(form.fields["area"].queryset) == [kenari]


def test_a_camat_is_offered_the_kecamatan_sessions(client, camat_senen, cycle, senen):
    client.force_login(camat_senen)
    form = client.get(reverse("sessions:create")).context["form"]
    kinds = {value for value, _ in form.fields["kind"].choices if value}
    assert kinds == {Kind.PLENO_PEMBUKA, Kind.KECAMATAN, Kind.PLENO_PENUTUPAN}
    assert list(form.fields["area"].queryset) == [senen]


def test_a_ketua_rw_schedules_the_rembuk_rw(client, rw_kenari_001, rw_kenari, cycle):
    client.force_login(rw_kenari_001)
    form = client.get(reverse("sessions:create")).context["form"]
    assert list(form.fields["area"].queryset) == [rw_kenari[0]]
    response = client.post(
        reverse("sessions:create"),
        {**SCHEDULE, "kind": "rembuk_rw", "area": rw_kenari[0].pk},
        follow=True,
    )
    assert "Rembuk RW 001 Kelurahan Kenari dijadwalkan." in text(response)
    assert Sidang.objects.get().quota == 0


def test_the_lurah_schedules_the_sidang_kelompok(client, lurah_kenari, cycle, kenari):
    client.force_login(lurah_kenari)
    response = client.post(
        reverse("sessions:create"), {**SCHEDULE, "kind": "kelompok", "area": kenari.pk}
    )
    sidang = Sidang.objects.get(kind=Kind.KELOMPOK, area=kenari)
    assert response.status_code == 302
    assert response["Location"] == sidang.get_absolute_url()
    assert sidang.starts_at == datetime.datetime(2024, 2, 27, 9, 0, tzinfo=JAKARTA)
    assert sidang.cycle == cycle
    assert sidang.quota == 5
    assert sidang.state == State.SCHEDULED
    assert sidang.venue == "Aula Kantor Kelurahan Kenari"
    assert sidang.minute_taker == "Sekretaris Kelurahan"


def test_an_official_of_one_area_finds_it_already_chosen(client, camat_senen, suban, cycle):
    """A camat runs three kinds of sidang, all in one kecamatan: the area needs no choosing.
    The planning office chooses among the kota's areas."""
    client.force_login(camat_senen)
    form = client.get(reverse("sessions:create")).context["form"]
    assert [label for _, label in form.fields["area"].choices] == ["Kecamatan Senen"]
    client.force_login(suban)
    form = client.get(reverse("sessions:create")).context["form"]
    assert next(iter(form.fields["area"].choices))[1] == "— pilih wilayah —"


def test_a_second_sidang_kelompok_is_refused_with_a_message(client, lurah_kenari, kelompok_kenari):
    client.force_login(lurah_kenari)
    response = client.post(
        reverse("sessions:create"),
        {**SCHEDULE, "kind": "kelompok", "area": kelompok_kenari.area_id},
    )
    assert response.status_code == 200
    assert "Sidang Kelompok Kelurahan Kenari sudah dijadwalkan." in text(response)
    assert Sidang.objects.filter(kind=Kind.KELOMPOK, area=kelompok_kenari.area).count() == 1


def test_a_daring_sidang_needs_its_link(client, lurah_kenari, cycle, kenari):
    client.force_login(lurah_kenari)
    response = client.post(
        reverse("sessions:create"),
        {**SCHEDULE, "kind": "kelompok", "area": kenari.pk, "mode": "daring"},
    )
    assert response.status_code == 200
    assert "Sidang daring atau hybrid perlu tautan rapat." in text(response)
    assert not Sidang.objects.exists()


def test_a_daring_sidang_with_its_link_is_scheduled(client, lurah_kenari, cycle, kenari):
    client.force_login(lurah_kenari)
    client.post(
        reverse("sessions:create"),
        {
            **SCHEDULE,
            "kind": "kelompok",
            "area": kenari.pk,
            "mode": "hybrid",
            "meeting_link": "https://zoom.us/j/123456",
        },
    )
    assert Sidang.objects.get().meeting_link == "https://zoom.us/j/123456"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": "", "time": "25:00"}, "Masukkan waktu yang valid"),
        ({"date": "2024-02-30"}, "Masukkan tanggal yang valid"),
        ({"venue": ""}, "Bidang ini tidak boleh kosong"),
        ({"kind": "bukan-jenis"}, "Masukkan pilihan yang valid"),
        ({"meeting_link": "bukan tautan", "mode": "daring"}, "Masukkan URL yang valid"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(
    client, lurah_kenari, cycle, kenari, changes, message
):
    client.force_login(lurah_kenari)
    response = client.post(
        reverse("sessions:create"), {**SCHEDULE, "kind": "kelompok", "area": kenari.pk, **changes}
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not Sidang.objects.exists()


def test_a_lurah_cannot_schedule_for_another_kelurahan(client, lurah_kenari, cycle, paseban):
    client.force_login(lurah_kenari)
    response = client.post(
        reverse("sessions:create"), {**SCHEDULE, "kind": "kelompok", "area": paseban.pk}
    )
    assert response.status_code == 200
    assert not Sidang.objects.exists()


def test_the_area_must_fit_the_kind(client, suban, cycle, senen):
    client.force_login(suban)
    response = client.post(
        reverse("sessions:create"), {**SCHEDULE, "kind": "kelompok", "area": senen.pk}
    )
    assert "Sidang kelompok diadakan untuk wilayah tingkat kelurahan" in text(response)
    assert not Sidang.objects.exists()


@pytest.mark.parametrize("user", ["unassigned", "ukpd_binamarga", "dewan"])
def test_who_runs_no_sidang_finds_no_schedule_page(client, request, cycle, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(reverse("sessions:create")).status_code == 404


# -- Pleno pembuka serentak -------------------------------------------------------------------

PLENO = {
    "date": "2024-02-26",
    "time": "09:00",
    "mode": "hybrid",
    "meeting_link": "https://zoom.us/j/2024022609",
    "venue": "",
    "agenda": "Pembukaan Musrenbang Kecamatan terintegrasi Kelurahan",
}


def test_the_planning_office_schedules_every_pleno_pembuka_at_once(client, suban, cycle):
    client.force_login(suban)
    response = client.post(reverse("sessions:pleno_pembuka_all"), PLENO, follow=True)
    plenos = Sidang.objects.filter(kind=Kind.PLENO_PEMBUKA).select_related("area")
    assert plenos.count() == 8
    assert {p.starts_at for p in plenos} == {datetime.datetime(2024, 2, 26, 9, 0, tzinfo=JAKARTA)}
    assert {p.mode for p in plenos} == {"hybrid"}
    venues = {p.area.name: p.venue for p in plenos}
    assert venues["Senen"] == "Aula Kecamatan Senen"
    assert venues["Tanah Abang"] == "Aula Kecamatan Tanah Abang"
    assert "serentak di 8 kecamatan" in text(response)
    assert len(listed(response)) == 8


def test_one_venue_for_every_pleno_pembuka(client, suban, cycle):
    client.force_login(suban)
    client.post(reverse("sessions:pleno_pembuka_all"), {**PLENO, "venue": "Balai Kota"})
    assert set(Sidang.objects.values_list("venue", flat=True)) == {"Balai Kota"}


def test_a_hybrid_pleno_pembuka_needs_its_link(client, suban, cycle):
    client.force_login(suban)
    response = client.post(reverse("sessions:pleno_pembuka_all"), {**PLENO, "meeting_link": ""})
    assert "Sidang daring atau hybrid perlu tautan rapat." in text(response)
    assert not Sidang.objects.exists()


@pytest.mark.parametrize("user", ["camat_senen", "lurah_kenari", "suban_jaksel", "unassigned"])
def test_only_the_planning_office_schedules_the_pleno_pembuka_serentak(
    client, request, cycle, user
):
    client.force_login(request.getfixturevalue(user))
    assert client.get(reverse("sessions:pleno_pembuka_all")).status_code == 404
    assert client.post(reverse("sessions:pleno_pembuka_all"), PLENO).status_code == 404
    assert not Sidang.objects.exists()


# -- One sidang -------------------------------------------------------------------------------


def test_the_detail_page_tells_the_sidang(client, lurah_kenari, kelompok_kenari):
    attend(kelompok_kenari, 3, delegates=2)
    client.force_login(lurah_kenari)
    response = client.get(kelompok_kenari.get_absolute_url())
    page = text(response)
    assert "Selasa, 27 Februari 2024 pukul 09.00" in page
    assert "Pimpinan Kenari" in page
    assert response.context["counts"] == {
        "listed": 3,
        "participants": 3,
        "delegates": 2,
        "candidates": 7,
        "utama": 0,
    }
    assert url("ranking", kelompok_kenari) in page
    assert url("edit", kelompok_kenari) in page
    assert url("close", kelompok_kenari) in page  # the confirmation page, not a form
    assert "Peringkat belum disimpan." in page  # what still keeps it from closing


def test_the_detail_page_shows_the_meeting_link(client, camat_senen, cycle, senen):
    sidang = schedule(
        cycle, Kind.PLENO_PEMBUKA, senen, mode="hybrid", meeting_link="https://zoom.us/j/1"
    )
    client.force_login(camat_senen)
    page = text(client.get(sidang.get_absolute_url()))
    assert 'href="https://zoom.us/j/1"' in page
    assert url("ranking", sidang) not in page  # a pleno ranks nothing
    assert url("start", sidang) in page


def test_who_may_see_but_not_run_gets_no_actions(client, camat_senen, kelompok_kenari):
    client.force_login(camat_senen)
    page = text(client.get(kelompok_kenari.get_absolute_url()))
    assert url("edit", kelompok_kenari) not in page
    assert url("close", kelompok_kenari) not in page
    assert client.get(url("edit", kelompok_kenari)).status_code == 403


def test_detail_queries_are_bounded(
    client, lurah_kenari, kelompok_kenari, django_assert_max_num_queries
):
    attend(kelompok_kenari, 20)
    client.force_login(lurah_kenari)
    with django_assert_max_num_queries(12):
        client.get(kelompok_kenari.get_absolute_url())


def test_the_lurah_edits_the_sidang(client, lurah_kenari, kelompok_kenari):
    client.force_login(lurah_kenari)
    form = client.get(url("edit", kelompok_kenari)).context["form"]
    assert form.initial["time"] == datetime.time(9, 0)
    response = client.post(
        url("edit", kelompok_kenari), {**SCHEDULE, "time": "13:30", "venue": "Masjid Kenari"}
    )
    assert response.status_code == 302
    kelompok_kenari.refresh_from_db()
    assert kelompok_kenari.venue == "Masjid Kenari"
    assert kelompok_kenari.starts_at == datetime.datetime(2024, 2, 27, 13, 30, tzinfo=JAKARTA)


def test_the_signatories_are_chosen_from_the_area_officials_or_the_attendance_list(
    client, lurah_kenari, camat_senen, lurah_paseban, kelompok_kenari
):
    User.objects.filter(pk=lurah_kenari.pk).update(
        full_name="Hj. Siti Aminah, S.Sos., M.Si.",
        nip="197903122005012003",
        position="Lurah Kenari",
    )
    staff = Participant.objects.create(
        sidang=kelompok_kenari,
        category="other",
        name="Dedi Kurniawan, S.E.",
        position="Kepala Seksi Ekonomi dan Pembangunan Kelurahan Kenari",
    )
    client.force_login(lurah_kenari)
    page = text(client.get(url("edit", kelompok_kenari)))
    assert "Hj. Siti Aminah, S.Sos., M.Si. — Lurah Kenari (NIP 197903122005012003)" in page
    assert f'value="u{camat_senen.pk}"' in page  # the camat holds a role over Kenari too
    assert f'value="u{lurah_paseban.pk}"' not in page
    assert "Dedi Kurniawan, S.E. — Kepala Seksi Ekonomi dan Pembangunan" in page
    response = client.post(
        url("edit", kelompok_kenari),
        {
            **SCHEDULE,
            "chair_from": f"u{lurah_kenari.pk}",
            "minute_taker_from": f"p{staff.pk}",
        },
    )
    assert response.status_code == 302
    kelompok_kenari.refresh_from_db()
    assert (
        kelompok_kenari.chair,
        kelompok_kenari.chair_nip,
        kelompok_kenari.chair_position,
    ) == ("Hj. Siti Aminah, S.Sos., M.Si.", "197903122005012003", "Lurah Kenari")
    assert (
        kelompok_kenari.minute_taker,
        kelompok_kenari.minute_taker_nip,
        kelompok_kenari.minute_taker_position,
    ) == (staff.name, "", staff.position)


def test_a_typed_signatory_needs_a_valid_nip_and_two_people_sign(
    client, lurah_kenari, kelompok_kenari
):
    client.force_login(lurah_kenari)
    typed = {**SCHEDULE, "chair": "Drs. H. Ahmad Fauzi, M.Si.", "chair_position": "Lurah Kenari"}
    response = client.post(url("edit", kelompok_kenari), {**typed, "chair_nip": "1968051219900"})
    assert response.status_code == 200
    assert "NIP terdiri atas 18 angka." in text(response)
    response = client.post(
        url("edit", kelompok_kenari), {**typed, "chair_nip": "196813121990031004"}
    )
    assert "NIP tidak sah" in text(response)  # there is no 13th month
    response = client.post(
        url("edit", kelompok_kenari),
        {**typed, "chair_nip": "196805121990031004", "minute_taker": "Ahmad Fauzi"},
    )
    assert "Pimpinan sidang dan notulis harus dua orang yang berbeda" in text(response)
    kelompok_kenari.refresh_from_db()
    assert kelompok_kenari.chair == "Pimpinan Kenari"  # nothing saved so far
    response = client.post(
        url("edit", kelompok_kenari),
        {**typed, "chair_nip": "196805121990031004", "minute_taker_position": "Sekretaris"},
    )
    assert response.status_code == 302
    kelompok_kenari.refresh_from_db()
    assert (kelompok_kenari.chair_nip, kelompok_kenari.minute_taker_position) == (
        "196805121990031004",
        "Sekretaris",
    )


def test_an_official_of_another_area_cannot_chair(client, suban, lurah_paseban, cycle, kenari):
    client.force_login(suban)
    response = client.post(
        reverse("sessions:create"),
        {**SCHEDULE, "kind": "kelompok", "area": kenari.pk, "chair_from": f"u{lurah_paseban.pk}"},
    )
    assert response.status_code == 200
    assert "lurah.paseban tidak bertugas di Kelurahan Kenari." in text(response)
    assert not Sidang.objects.filter(area=kenari).exists()


def test_the_camat_cannot_edit_a_sidang_kelompok(client, camat_senen, kelompok_kenari):
    client.force_login(camat_senen)
    response = client.post(url("edit", kelompok_kenari), {**SCHEDULE, "venue": "Kantor Camat"})
    assert response.status_code == 403
    kelompok_kenari.refresh_from_db()
    assert kelompok_kenari.venue == "Aula Kelurahan Kenari"


def test_the_lurah_starts_the_sidang(client, lurah_paseban, kelompok_paseban, cycle, senen):
    held(cycle, Kind.PLENO_PEMBUKA, senen)
    client.force_login(lurah_paseban)
    response = client.post(url("start", kelompok_paseban), follow=True)
    kelompok_paseban.refresh_from_db()
    assert kelompok_paseban.state == State.IN_PROGRESS
    assert "Sidang dimulai." in text(response)


def test_start_rejects_get(client, lurah_paseban, kelompok_paseban):
    client.force_login(lurah_paseban)
    assert client.get(url("start", kelompok_paseban)).status_code == 405
    kelompok_paseban.refresh_from_db()
    assert kelompok_paseban.state == State.SCHEDULED


def test_the_camat_cannot_start_a_sidang_kelompok(client, camat_senen, kelompok_paseban):
    client.force_login(camat_senen)
    response = client.post(url("start", kelompok_paseban))
    assert response.status_code == 403  # sees the sidang, does not run it
    kelompok_paseban.refresh_from_db()
    assert kelompok_paseban.state == State.SCHEDULED


def test_a_started_sidang_does_not_start_again(client, lurah_kenari, kelompok_kenari):
    client.force_login(lurah_kenari)
    response = client.post(url("start", kelompok_kenari), follow=True)
    assert "Sidang ini sudah dimulai." in text(response)


# -- A closed sidang is final -----------------------------------------------------------------


def test_a_closed_sidang_offers_no_forms(client, camat_senen, closed_pleno):
    client.force_login(camat_senen)
    page = text(client.get(closed_pleno.get_absolute_url()))
    assert "Ditutup pada" in page
    assert "camat.senen" in page
    for name in ("edit", "start", "close"):
        assert url(name, closed_pleno) not in page
    response = client.get(url("attendance", closed_pleno))
    assert response.context["form"] is None
    page = text(response)
    assert 'name="name"' not in page
    assert "/hapus/" not in page
    assert "/delegasi/" not in page
    assert "Peserta 2" in page


def test_a_closed_sidang_cannot_be_edited(client, camat_senen, closed_pleno):
    client.force_login(camat_senen)
    response = client.post(url("edit", closed_pleno), {**SCHEDULE, "venue": "Lain"}, follow=True)
    assert "Sidang sudah ditutup" in text(response)
    closed_pleno.refresh_from_db()
    assert closed_pleno.venue == "Aula Kecamatan Senen"
