"""Delivery by the real worker (`manage.py db_worker`) to a real SMTP server (aiosmtpd): sent
once, retried after a refused connection, given up after NOTICE_RETRIES attempts; a mail server
that is down never touches the action itself."""

import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from notices.models import Delivery
from notices.services import delivery_send
from notices.tasks import deliver
from proposals.services import proposal_accept

SMTP = "django.core.mail.backends.smtp.EmailBackend"

# The worker runs as in production, outside any transaction of the test's: it closes a
# connection it finds inside one (as it would a broken one), and the action it sends for has
# committed before it starts.
committed = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    """A port nothing listens on (until a test starts its server there)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Received:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def run_worker(**options) -> None:
    """The worker as production runs it, until nothing is left to do now."""
    call_command(
        "db_worker",
        batch=True,
        reload=False,
        startup_delay=False,
        queue_name="*",
        verbosity=0,
        **options,
    )


@pytest.fixture
def accepted(proposal_kenari, lurah_kenari, rw_kenari_001):
    """Kenari's proposal accepted: its RW, who has an e-mail address, has a delivery queued."""
    rw_kenari_001.email = "rw001@kenari.example"
    rw_kenari_001.save()
    proposal_accept(proposal=proposal_kenari, by=lurah_kenari)
    return Delivery.objects.get()


def test_the_action_only_queues_the_email(accepted):
    assert accepted.channel == "email"
    assert accepted.address == "rw001@kenari.example"
    assert accepted.status == Delivery.Status.PENDING
    assert accepted.attempts == 0
    assert DBTaskResult.objects.ready().filter(queue_name="notices").count() == 1
    assert mail.outbox == []


@committed
def test_the_worker_sends_it_once(accepted, proposal_kenari, settings):
    run_worker()
    accepted.refresh_from_db()
    assert accepted.status == Delivery.Status.SENT
    assert accepted.sent_at is not None
    assert accepted.attempts == 1
    [message] = mail.outbox
    assert message.to == ["rw001@kenari.example"]
    assert message.subject.startswith(proposal_kenari.code)
    assert f"{settings.SITE_URL}{proposal_kenari.get_absolute_url()}" in message.body

    run_worker()
    deliver.enqueue(accepted.pk)  # even a task queued twice
    run_worker()
    assert delivery_send(accepted.pk) == Delivery.Status.SENT
    assert len(mail.outbox) == 1


def test_a_mail_server_that_is_down_neither_fails_nor_slows_the_page(
    client, proposal_kenari, lurah_kenari, rw_kenari_001
):
    rw_kenari_001.email = "rw001@kenari.example"
    rw_kenari_001.save()
    client.force_login(lurah_kenari)
    with override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=free_port()):
        response = client.post(reverse("proposals:accept", args=[proposal_kenari.pk]))
    assert response.status_code == 302
    proposal_kenari.refresh_from_db()
    assert proposal_kenari.status == "accepted"
    assert Delivery.objects.get().attempts == 0  # nothing tried during the request


@committed
def test_a_refused_connection_is_retried_and_the_email_arrives_exactly_once(accepted):
    port = free_port()
    with override_settings(
        EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=port, NOTICE_RETRY_SECONDS=0
    ):
        run_worker(max_tasks=1)
        accepted.refresh_from_db()
        assert accepted.status == Delivery.Status.PENDING
        assert accepted.attempts == 1
        assert "ConnectionRefusedError" in accepted.last_error
        assert DBTaskResult.objects.ready().filter(queue_name="notices").count() == 1

        received = Received()
        server = Controller(received, hostname="127.0.0.1", port=port)
        server.start()
        try:
            run_worker()
            run_worker()  # nothing more to send
        finally:
            server.stop()
    accepted.refresh_from_db()
    assert accepted.status == Delivery.Status.SENT
    assert accepted.attempts == 2
    assert accepted.last_error == ""
    [envelope] = received.envelopes
    assert envelope.rcpt_tos == ["rw001@kenari.example"]
    assert b"Subject: JP24-00001" in envelope.content


@committed
def test_a_retry_waits_longer_after_each_attempt(accepted):
    with override_settings(
        EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=free_port(), NOTICE_RETRY_SECONDS=60
    ):
        run_worker()  # one attempt; the next waits a minute, so the batch ends
    accepted.refresh_from_db()
    assert accepted.attempts == 1
    later = DBTaskResult.objects.filter(queue_name="notices", status="READY").get()
    assert (later.run_after - later.enqueued_at).total_seconds() >= 59
    assert not DBTaskResult.objects.ready().exists()


@committed
def test_it_is_given_up_after_notice_retries_attempts(accepted):
    with override_settings(
        EMAIL_BACKEND=SMTP,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=free_port(),
        NOTICE_RETRY_SECONDS=0,
        NOTICE_RETRIES=3,
    ):
        run_worker()
    accepted.refresh_from_db()
    assert accepted.status == Delivery.Status.FAILED
    assert accepted.attempts == 3
    assert not DBTaskResult.objects.ready().exists()
    assert delivery_send(accepted.pk) == Delivery.Status.FAILED  # and stays given up


def test_a_user_without_an_email_address_has_the_inbox_only(
    proposal_kenari, lurah_kenari, rw_kenari_001
):
    proposal_accept(proposal=proposal_kenari, by=lurah_kenari)
    assert rw_kenari_001.notices.count() == 1
    assert not Delivery.objects.exists()
    assert not DBTaskResult.objects.exists()
