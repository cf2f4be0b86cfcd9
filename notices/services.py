"""Telling users what happened: a notice in the inbox, and a delivery queued per channel.

`notify` runs inside the transaction of the action it reports: if the action rolls back, no
notice exists and nothing is sent. The worker (`manage.py db_worker`) sends each delivery once,
retrying a channel that refused.
"""

import datetime
import logging
import smtplib

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


def notify(users, *, kind: str, subject: str, text: str, url: str = "") -> list[Notice]:
    """A notice for each user, and for each channel a user can be reached on, a delivery queued
    for the worker: all in the caller's transaction."""
    from notices.tasks import deliver  # the task module imports this one

    users = list({u.pk: u for u in users}.values())
    notices = Notice.objects.bulk_create(
        Notice(user=u, kind=kind, subject=subject[:200], text=text, url=url) for u in users
    )
    for notice in notices:
        for name, channel in channels().items():
            address = channel.address(notice.user)
            if not address:
                continue
            delivery = Delivery.objects.create(notice=notice, channel=name, address=address)
            deliver.enqueue(delivery.pk)
    return notices


def channels() -> dict:
    return {name: import_string(path)() for name, path in settings.NOTICE_CHANNELS.items()}


def delivery_send(delivery_id: int) -> str:
    """Send one delivery, once: a delivery already sent (or given up) is left alone; a channel
    that refuses is tried again later, NOTICE_RETRIES times in all. Returns the new status."""
    from notices.tasks import deliver

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
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
            if delivery.attempts >= settings.NOTICE_RETRIES:
                delivery.status = Delivery.Status.FAILED
                log.warning("notice delivery %s given up: %s", delivery.pk, delivery.last_error)
            else:
                wait = datetime.timedelta(seconds=settings.NOTICE_RETRY_SECONDS * delivery.attempts)
                deliver.using(run_after=timezone.now() + wait).enqueue(delivery.pk)
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
        delivery.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return delivery.status
