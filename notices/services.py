"""Telling users what happened: a notice in the inbox, and a delivery queued per channel.

`notify` runs inside the transaction of the action it reports: if the action rolls back, no
notice exists and nothing is sent. The worker (`manage.py db_worker`) sends each delivery once,
retrying a channel that refused.
"""

import datetime
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from areas.models import Assignment, User
from notices.models import Delivery, Notice

log = logging.getLogger(__name__)

# What a channel may raise when it cannot deliver now: the delivery is tried again later.
TEMPORARY_FAILURES = (OSError, smtplib.SMTPException)


def holders(role: str, *, area=None, unit=None):
    """The active users holding `role` over exactly this area (or unit)."""
    assigned = Assignment.objects.filter(role=role)
    assigned = assigned.filter(unit=unit) if unit is not None else assigned.filter(area=area)
    return User.objects.filter(is_active=True, pk__in=assigned.values("user_id"))


def holders_by(role: str, *, areas=(), units=()) -> dict[int, list[User]]:
    """The active holders of `role` over each of these areas (or units), by area (or unit) id,
    in one query: telling many RWs at once does not ask once per RW."""
    key = "unit_id" if units else "area_id"
    assigned = (
        Assignment.objects.filter(role=role, user__is_active=True)
        .filter(**{f"{key}__in": list(units or areas)})
        .select_related("user")
        .order_by("pk")
    )
    found: dict[int, list[User]] = {}
    for assignment in assigned:
        found.setdefault(getattr(assignment, key), []).append(assignment.user)
    return found


@dataclass
class Message:
    """What one notice says, to whom: plain Indonesian, with the page it is about."""

    users: Iterable[User]
    kind: str
    subject: str
    text: str
    url: str = ""


def notify(users, *, kind: str, subject: str, text: str, url: str = "") -> list[Notice]:
    """A notice for each user, and for each channel a user can be reached on, a delivery queued
    for the worker: all in the caller's transaction."""
    return notify_all([Message(users, kind, subject, text, url)])


def notify_all(messages: Iterable[Message]) -> list[Notice]:
    """Several messages at once: one INSERT for all their notices, one for their deliveries,
    then one queued task per delivery (django-tasks enqueues one at a time)."""
    from notices.tasks import deliver  # the task module imports this one

    notices = []
    for message in messages:
        users = {u.pk: u for u in message.users}.values()  # each user told once
        notices += [
            Notice(
                user=u,
                kind=message.kind,
                subject=message.subject[:200],
                text=message.text,
                url=message.url[:300],
            )
            for u in users
        ]
    Notice.objects.bulk_create(notices)
    ways = channels().items()
    deliveries = [
        Delivery(notice=notice, channel=name, address=address)
        for notice in notices
        for name, channel in ways
        if (address := channel.address(notice.user))
    ]
    # Both engines (PostgreSQL, SQLite ≥ 3.35) return the new ids from a bulk insert.
    for delivery in Delivery.objects.bulk_create(deliveries):
        deliver.enqueue(delivery.pk)
    return notices


def channels() -> dict:
    return {name: import_string(path)() for name, path in settings.NOTICE_CHANNELS.items()}


def delivery_send(delivery_id: int) -> str:
    """Send one delivery, once: a delivery already sent (or given up) is left alone, and the row
    stays locked while it is sent, so two workers never both send it. A channel that refuses for
    now is tried again later, NOTICE_RETRIES times in all; one that fails otherwise (a bad
    address) is given up at once. Returns the new status."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("notice__user")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return delivery.status if delivery else ""
        delivery.attempts += 1
        try:
            channels()[delivery.channel].send(delivery)
        except TEMPORARY_FAILURES as error:
            _failed(delivery, error, final=delivery.attempts >= settings.NOTICE_RETRIES)
        except Exception as error:  # never retried: it would fail the same way
            _failed(delivery, error, final=True)
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
        delivery.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return delivery.status


def _failed(delivery: Delivery, error: Exception, *, final: bool) -> None:
    """Note why the delivery failed; give it up, or try it again after a wait that grows with
    each attempt."""
    from notices.tasks import deliver

    delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
    if final:
        delivery.status = Delivery.Status.FAILED
        log.warning("notice delivery %s given up: %s", delivery.pk, delivery.last_error)
        return
    wait = datetime.timedelta(seconds=settings.NOTICE_RETRY_SECONDS * delivery.attempts)
    deliver.using(run_after=timezone.now() + wait).enqueue(delivery.pk)
