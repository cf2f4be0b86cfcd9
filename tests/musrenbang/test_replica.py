"""The read replica's router (musrenbang/replica.py): reads of a GET go to the replica, every
write and every read that could miss one to the primary.

The replica here is the test database itself under a second connection (tests/settings.py:
Django's test MIRROR), so each test commits (transaction=True) and the queries each connection
ran tell where a read went.
"""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connections, router, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from musrenbang.replica import PIN_COOKIE, ReplicaMiddleware
from notices.models import Notice
from notices.services import notify
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

INBOX = "/notifikasi/"


@pytest.fixture(autouse=True)
def replica_on(settings):
    """As settings.py configures a deployment with DATABASE_REPLICA_URL."""
    settings.DATABASE_ROUTERS = ["musrenbang.replica.ReplicaRouter"]
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("musrenbang.middleware.ClientAddressMiddleware") + 1,
        "musrenbang.replica.ReplicaMiddleware",
    )
    settings.MIDDLEWARE = middleware


class Reads:
    """The tables each database was asked about, while it is open."""

    def __enter__(self):
        self.captured = {
            alias: CaptureQueriesContext(connections[alias]) for alias in ("default", "replica")
        }
        for captured in self.captured.values():
            captured.__enter__()
        return self

    def __exit__(self, *exc):
        for captured in self.captured.values():
            captured.__exit__(*exc)

    def on(self, alias: str) -> str:
        return "\n".join(query["sql"] for query in self.captured[alias].captured_queries)


@pytest.fixture
def told(lurah_kenari):
    """A notice in the lurah's inbox."""
    return notify([lurah_kenari], kind="uji", subject="Usulan baru", text="Ada usulan.")[0]


def sign_in(client) -> None:
    response = client.post(reverse("login"), {"username": "lurah.kenari", "password": PASSWORD})
    assert response.status_code == 302


def test_a_get_reads_from_the_replica(client, lurah_kenari, told):
    client.force_login(lurah_kenari)  # no request: nothing pins this browser
    with Reads() as reads:
        page = client.get(INBOX)
    assert "Usulan baru" in page.content.decode() and "Belum dibaca" in page.content.decode()
    assert "notices_notice" in reads.on("replica")
    # Only the session and the signed-in user are read on the primary.
    assert "django_session" in reads.on("default") and "areas_user" in reads.on("default")
    assert "notices_notice" not in reads.on("default")
    assert "django_session" not in reads.on("replica") and "areas_user" not in reads.on("replica")
    assert PIN_COOKIE not in page.cookies


def test_after_a_post_the_browser_reads_from_the_primary_until_the_pin_expires(
    client, lurah_kenari, told, settings
):
    settings.REPLICA_PIN_SECONDS = 2
    sign_in(client)  # a POST: it pins
    assert client.cookies[PIN_COOKIE]["max-age"] == 2
    with Reads() as reads:
        page = client.get(INBOX)
    assert "Usulan baru" in page.content.decode()
    assert "notices_notice" in reads.on("default")
    assert reads.on("replica") == ""
    time.sleep(3)  # the signature's time is in whole seconds
    with Reads() as reads:
        client.get(INBOX)
    assert "notices_notice" in reads.on("replica")
    assert "notices_notice" not in reads.on("default")


def test_a_pin_the_browser_wrote_itself_is_not_believed(client, lurah_kenari, told):
    client.force_login(lurah_kenari)
    client.cookies[PIN_COOKIE] = "1"
    with Reads() as reads:
        client.get(INBOX)
    assert "notices_notice" in reads.on("replica")


def test_a_write_in_a_get_sends_the_rest_of_the_request_to_the_primary(lurah_kenari, told):
    seen = {}

    def view(request):
        seen["before"] = router.db_for_read(Notice)
        Notice.objects.filter(pk=told.pk).update(subject="Dibaca")
        seen["after"] = router.db_for_read(Notice)
        seen["subject"] = Notice.objects.get(pk=told.pk).subject
        return HttpResponse()

    with Reads() as reads:
        response = ReplicaMiddleware(view)(RequestFactory().get("/"))
    assert (seen["before"], seen["after"], seen["subject"]) == ("replica", "default", "Dibaca")
    assert "UPDATE" in reads.on("default") and "notices_notice" in reads.on("default")
    assert reads.on("replica") == ""
    assert PIN_COOKIE in response.cookies  # and the next pages too, for a while


def test_opening_a_notice_by_its_link_pins_the_browser(client, lurah_kenari, told):
    client.force_login(lurah_kenari)
    response = client.get(reverse("notices:open", args=[told.pk]))
    assert response.status_code == 302 and PIN_COOKIE in response.cookies
    with Reads() as reads:
        page = client.get(INBOX)
    assert reads.on("replica") == ""
    assert "Usulan baru" in page.content.decode() and "Belum dibaca" not in page.content.decode()


def test_reads_in_a_transaction_and_outside_a_request_go_to_the_primary(told):
    def view(request):
        with transaction.atomic():
            seen["atomic"] = router.db_for_read(Notice)
        seen["plain"] = router.db_for_read(Notice)
        return HttpResponse()

    seen = {}
    ReplicaMiddleware(view)(RequestFactory().get("/"))
    assert seen == {"atomic": "default", "plain": "replica"}
    ReplicaMiddleware(view)(RequestFactory().post("/"))
    assert seen == {"atomic": "default", "plain": "default"}
    assert router.db_for_read(Notice) == "default"  # a command, the worker, a test


def test_writes_and_migrations_are_the_primary_s(told):
    assert router.db_for_write(Notice) == "default"
    assert router.allow_migrate("default", "notices") is True
    assert router.allow_migrate("replica", "notices") is False
    on_replica = Notice.objects.using("replica").get(pk=told.pk)
    assert router.allow_relation(on_replica, told) is True


def test_signing_in_and_the_lockout_work_with_a_replica(client, lurah_kenari, settings):
    sign_in(client)
    assert SESSION_KEY in client.session
    assert "Kelurahan Kenari" in client.get("/").content.decode()
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "lurah.kenari", "password": "salah"})
    response = client.post(reverse("login"), {"username": "lurah.kenari", "password": PASSWORD})
    assert response.status_code == 429


def test_a_session_is_read_on_the_primary_whatever_the_pin(client, lurah_kenari):
    sign_in(client)
    client.cookies.pop(PIN_COOKIE)  # as if the replica lagged past the pin
    with Reads() as reads:
        page = client.get("/")
    assert "Kelurahan Kenari" in page.content.decode()
    assert "django_session" in reads.on("default")
    assert "django_session" not in reads.on("replica")
    assert "areas_assignment" in reads.on("replica")
