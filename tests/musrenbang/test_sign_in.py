"""Signing in and out: the form, safe redirects, lockout after failures, the CSRF check."""

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


def test_repeated_failures_lock_the_sign_in_for_a_while(client, lurah_kenari, settings):
    from axes.models import AccessFailureLog

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "lurah.kenari", "password": "salah"})
    # Even the right password is refused now, with a reason in Indonesian.
    response = client.post(reverse("login"), {"username": "lurah.kenari", "password": PASSWORD})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session
    failures = AccessFailureLog.objects.filter(username="lurah.kenari")
    assert failures.count() >= settings.AXES_FAILURE_LIMIT
    assert {f.ip_address for f in failures} == {"127.0.0.1"}


def test_another_official_signs_in_meanwhile(client, lurah_kenari, lurah_paseban, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "lurah.kenari", "password": "salah"})
    response = client.post(reverse("login"), {"username": "lurah.paseban", "password": PASSWORD})
    assert response.status_code == 302


def test_every_sign_in_is_recorded(client, lurah_kenari):
    from axes.models import AccessLog

    client.post(
        reverse("login"),
        {"username": "lurah.kenari", "password": PASSWORD},
        HTTP_USER_AGENT="Peramban Uji",
    )
    log = AccessLog.objects.get(username="lurah.kenari")
    assert log.ip_address == "127.0.0.1" and log.user_agent == "Peramban Uji"


def test_a_post_without_the_csrf_token_is_refused(lurah_kenari, proposal_kenari):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(lurah_kenari)
    response = client.post(reverse("proposals:accept", args=[proposal_kenari.pk]))
    assert response.status_code == 403
    proposal_kenari.refresh_from_db()
    assert proposal_kenari.status == "submitted"
