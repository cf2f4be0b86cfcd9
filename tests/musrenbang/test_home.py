"""The home page of musrenbang/views.py: assignments, language, what needs doing per role."""

import pytest
from django.urls import reverse


def test_visitor_sees_the_public_home(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Masuk" in response.content.decode()
    assert response.context["nav_items"][0]["label"] == "Beranda"


def test_lurah_sees_kelurahan_and_kecamatan(client, lurah_kenari, rw_kenari):
    client.force_login(lurah_kenari)
    page = client.get("/").content.decode()
    assert "Kelurahan Kenari" in page
    assert "Kecamatan Senen" in page
    assert "2 RW" in page


def test_ukpd_officer_sees_unit_and_kota(client, ukpd_binamarga):
    client.force_login(ukpd_binamarga)
    page = client.get("/").content.decode()
    assert "Sudin Bina Marga" in page
    assert "Kota Administrasi Jakarta Pusat" in page


def test_camat_sees_the_kelurahan_count(client, camat_senen):
    client.force_login(camat_senen)
    assert "6 Kelurahan" in client.get("/").content.decode()


def test_an_official_without_assignment_is_told_whom_to_ask(client, unassigned):
    client.force_login(unassigned)
    assert "Belum ada penugasan" in client.get("/").content.decode()


def test_only_the_planning_office_is_offered_the_admin(client, suban, lurah_kenari):
    admin_url = reverse("admin:index")
    client.force_login(lurah_kenari)
    assert admin_url not in [item["url"] for item in client.get("/").context["nav_items"]]
    client.force_login(suban)
    assert admin_url in [item["url"] for item in client.get("/").context["nav_items"]]


def test_the_page_switches_to_english(client, lurah_kenari):
    client.force_login(lurah_kenari)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Assignments and work area" in page


def test_an_english_browser_still_gets_indonesian(client, db):
    page = client.get("/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert 'lang="id"' in page
    assert "Masuk" in page


# -- What needs doing, per role ---------------------------------------------------------------


def panel(response, title):
    return next(p for p in response.context["panels"] if p.title == title)


def counts(panel_):
    return {item.label: item.count for item in panel_.items}


def test_a_ketua_rw_sees_drafts_and_returned(client, rw_kenari_001, draft_kenari, proposal_kenari):
    from proposals.models import Proposal, Status

    Proposal.objects.filter(pk=proposal_kenari.pk).update(status=Status.RETURNED)
    client.force_login(rw_kenari_001)
    numbers = counts(panel(client.get("/"), "Usulan RW saya"))
    assert numbers["Draf belum diajukan"] == 1
    assert numbers["Dikembalikan kelurahan, perlu diperbaiki"] == 1


def test_a_lurah_sees_validation_surveys_and_the_next_sidang(
    client, lurah_kenari, proposal_kenari, kelompok_kenari
):
    client.force_login(lurah_kenari)
    kelurahan = panel(client.get("/"), "Kelurahan")
    numbers = counts(kelurahan)
    assert numbers["Usulan menunggu validasi"] == 1
    # Submitted, so still the lurah's: the survey queue lists what the lurah accepted.
    assert numbers["Usulan fisik belum disurvei UKPD"] == 0
    assert kelompok_kenari in kelurahan.sessions
    assert kelurahan.items[1].url == "/survei/"


def test_a_ukpd_officer_sees_the_survey_queue_as_it_counts(
    client, ukpd_binamarga, proposal_kenari, draft_kenari
):
    """The panel's figures are the queue's tabs (proposals/queues.py): accepted and not yet
    surveyed; a submitted proposal waits for the lurah first."""
    from proposals.models import Proposal, Status

    client.force_login(ukpd_binamarga)
    assert counts(panel(client.get("/"), "Survei UKPD"))["Belum disurvei"] == 0
    Proposal.objects.filter(pk__in=[proposal_kenari.pk, draft_kenari.pk]).update(
        status=Status.ACCEPTED
    )
    numbers = counts(panel(client.get("/"), "Survei UKPD"))
    queue = client.get("/survei/").context["counts"]
    assert numbers["Belum disurvei"] == queue["pending"] == 2
    assert numbers["Direkomendasikan"] + numbers["Tidak direkomendasikan"] == queue["done"] == 0


def test_a_camat_sees_the_kelurahan_sessions(
    client, camat_senen, kelompok_kenari, kelompok_paseban
):
    client.force_login(camat_senen)
    numbers = counts(panel(client.get("/"), "Kecamatan"))
    assert numbers["Sidang kelompok kelurahan sudah ditutup"] == 0
    assert numbers["Sidang kelompok belum ditutup"] == 2


def test_the_planning_office_sees_the_whole_kota(client, suban, proposal_kenari, proposal_paseban):
    client.force_login(suban)
    numbers = counts(panel(client.get("/"), "Kemajuan kota"))
    assert numbers["Usulan masuk"] == 2
    assert numbers["Prioritas kecamatan menunggu keputusan akhir"] == 0


def test_a_lurah_of_another_kelurahan_sees_none_of_kenari(client, lurah_paseban, proposal_kenari):
    client.force_login(lurah_paseban)
    assert counts(panel(client.get("/"), "Kelurahan"))["Usulan menunggu validasi"] == 0


@pytest.mark.parametrize(
    "who", ["rw_kenari_001", "lurah_kenari", "ukpd_binamarga", "camat_senen", "suban"]
)
def test_home_queries_do_not_grow_with_the_data(
    request, client, who, cycle, rw_kenari, betonisasi, superuser, kelompok_kenari
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.proposal_fixtures import make_proposal

    client.force_login(request.getfixturevalue(who))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/")
        return len(captured)

    few = queries()
    for _ in range(20):
        make_proposal(cycle, rw_kenari[1], betonisasi, superuser)
    assert queries() == few
    assert few <= 14
