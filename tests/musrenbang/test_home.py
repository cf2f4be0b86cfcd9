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


def test_home_reads_a_bounded_number_of_queries(client, camat_senen, django_assert_max_num_queries):
    client.force_login(camat_senen)
    with django_assert_max_num_queries(8):
        client.get("/")


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
