from django.urls import reverse

from tests.conftest import PASSWORD


def test_it_signs_in_through_the_form(client, lurah_kenari):
    response = client.post(reverse("login"), {"username": "lurah.kenari", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Kelurahan Kenari" in client.get("/").content.decode()


def test_a_wrong_password_is_explained_in_indonesian(client, lurah_kenari):
    response = client.post(reverse("login"), {"username": "lurah.kenari", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_follows_next_within_the_site(client, lurah_kenari):
    response = client.post(
        reverse("login") + "?next=/admin/",
        {"username": "lurah.kenari", "password": PASSWORD, "next": "/admin/"},
    )
    assert response["Location"] == "/admin/"


def test_it_refuses_an_open_redirect(client, lurah_kenari):
    response = client.post(
        reverse("login"),
        {"username": "lurah.kenari", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_it_signs_out_with_post(client, lurah_kenari):
    client.force_login(lurah_kenari)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_refuses_sign_out_by_get(client, lurah_kenari):
    client.force_login(lurah_kenari)
    assert client.get(reverse("logout")).status_code == 405


def test_a_signed_in_official_skips_the_form(client, lurah_kenari):
    client.force_login(lurah_kenari)
    assert client.get(reverse("login")).status_code == 302


def test_an_invalid_field_is_marked_for_eye_and_screen_reader(client, db):
    page = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert 'class="form-control is-invalid"' in page
    assert 'aria-invalid="true"' in page
