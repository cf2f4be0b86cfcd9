"""The audit trail of a sidang as its page shows it: its own entries and its parts'."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from sessions.models import Candidate, Minutes, Participant, Sidang, SignedScan


def sidang_trail(sidang: Sidang) -> QuerySet:
    """The sidang's own entries and those of its candidates, participants, minutes and scan."""
    parts = (Candidate, Participant, Minutes, SignedScan)
    types = ContentType.objects.get_for_models(Sidang, *parts)
    children = [types[model].pk for model in parts]
    return (
        LogEntry.objects.filter(
            Q(content_type=types[Sidang], object_id=sidang.pk)
            | Q(content_type__in=children, additional_data__sidang=sidang.pk)
        )
        .select_related("actor", "content_type")
        .prefetch_related("actor__assignments__area", "actor__assignments__unit")
        .order_by("-timestamp", "-pk")
    )
