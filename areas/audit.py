"""Audit records for writes that bypass model signals (bulk_create, QuerySet.update, raw SQL).

auditlog logs save() and delete() by itself; these helpers write the same LogEntry rows, in
the same format, with one bulk insert, for the paths that are fast because they skip save().
"""

from collections.abc import Iterable

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled, auditlog_value
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import pre_save
from django.dispatch.dispatcher import _make_id
from django.utils.encoding import smart_str


def record(pairs: Iterable[tuple[Model | None, Model]]) -> int:
    """Log each (before, after) pair as auditlog would: a creation if before is None, else an
    update of the fields that differ. Actor and address come from the request, as auditlog's
    middleware set them. One INSERT, none when nothing changed."""
    if auditlog_disabled.get():
        return 0
    context = _context()
    entries = []
    for before, after in pairs:
        # Concrete fields only: a new object has no reverse relations, asking would query each.
        changes = model_instance_diff(
            before,
            after,
            fields_to_check=[f.name for f in after._meta.concrete_fields],
            use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES,
        )
        if not changes:
            continue
        data = getattr(after, "get_additional_data", None)
        action = LogEntry.Action.UPDATE if before is not None else LogEntry.Action.CREATE
        entries.append(_entry(after, action, changes, data() if callable(data) else None, context))
    LogEntry.objects.bulk_create(entries)
    return len(entries)


def record_change(obj: Model, changes: dict, additional_data: dict | None = None) -> None:
    """Log one change made without save() (a counter moved by a raw UPDATE, say), described by
    `changes` ({field: [before, after]}) and `additional_data`."""
    if auditlog_disabled.get():
        return
    if not settings.AUDITLOG_STORE_JSON_CHANGES:
        changes = {field: [smart_str(v) for v in pair] for field, pair in changes.items()}
    _entry(obj, LogEntry.Action.UPDATE, changes, additional_data, _context()).save()


def _entry(obj: Model, action: int, changes: dict, additional_data, context: dict) -> LogEntry:
    """One unsaved entry as auditlog writes it, by the request's actor from its address."""
    actor = context.get("actor")
    return LogEntry(
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=smart_str(obj.pk),
        object_id=obj.pk,
        object_repr=smart_str(obj),
        action=action,
        changes=changes,
        actor=actor,
        actor_email=getattr(actor, "email", None),
        remote_addr=context.get("remote_addr"),
        remote_port=context.get("remote_port"),
        cid=get_cid(),
        additional_data=additional_data,
    )


def _context() -> dict:
    """Actor and address as auditlog's middleware or set_actor() set them, while in force.

    The context variable outlives its request (auditlog never resets it); what ends with the
    request is the pre_save receiver it connected, so that tells whether the value is current.
    """
    context = auditlog_value.get(None)
    if context is None:
        return {}
    key = (context["signal_duid"], _make_id(LogEntry))
    with pre_save.lock:
        current = any(receiver[0] == key for receiver in pre_save.receivers)
    return context if current else {}


def named_now(entries: Iterable[LogEntry], obj: Model) -> list[LogEntry]:
    """The entries, those of `obj` itself naming it as it reads now: auditlog keeps the name
    it had when saved, in the language of the official who saved it."""
    entries = list(entries)
    content_type = ContentType.objects.get_for_model(obj)
    for entry in entries:
        if entry.content_type_id == content_type.pk and entry.object_pk == str(obj.pk):
            entry.object_repr = smart_str(obj)
    return entries
