"""A whole musrenbang cycle as one JSON file, and back into an empty database (cycle_export,
cycle_import): areas, units, catalogue, officials, proposals, sessions, and the stored files
(photos, berita acara and their wet-signed scans).

Rows keep their primary keys, so the import needs a database without those rows. Officials
travel without their password hash (a file that leaves the server should not carry them); they
arrive with an unusable password and sign in again after an administrator sets one.
"""

import base64
import datetime
import json
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q

from areas.models import Area, Assignment, TechnicalUnit, User
from proposals.models import Attachment, CatalogueItem, Cycle, Decision, Event, Proposal, Survey
from sessions.models import Candidate, Criterion, Minutes, Participant, Sidang, SignedScan, State

FORMAT = "musrenbang-cycle/1"

# The order rows are written in on import: whatever a row refers to comes before it. Sidang go
# in open and are closed at the end, because the triggers of sessions/migrations 0002 and 0004
# refuse candidates, attendance and berita acara added to a closed sidang.
MODELS = [
    Area,
    TechnicalUnit,
    CatalogueItem,
    User,
    Assignment,
    Cycle,
    Proposal,
    Attachment,
    Survey,
    Decision,
    Event,
    Criterion,
    Sidang,
    Candidate,
    Participant,
    Minutes,
    SignedScan,
]

USER_FIELDS = [
    field.name
    for field in User._meta.concrete_fields
    if not field.primary_key and field.name != "password"
]


class TransferError(Exception):
    """The file cannot be imported here; the message says why."""


def _rows(cycle: Cycle) -> dict[type, list]:
    """Every row the cycle needs, per model, in import order."""
    kota = cycle.kota
    prefixes = kota.code.split(".")
    above = [".".join(prefixes[:i]) for i in range(1, len(prefixes))]
    areas = Area.objects.filter(
        Q(code__in=above) | Q(code=kota.code) | Q(code__startswith=f"{kota.code}.")
    )
    units = TechnicalUnit.objects.filter(kota=kota)
    proposals = Proposal.objects.filter(cycle=cycle)
    sessions = Sidang.objects.filter(cycle=cycle)
    rows = {
        Area: list(areas.order_by("code")),
        TechnicalUnit: list(units.order_by("pk")),
        CatalogueItem: list(CatalogueItem.objects.filter(unit__kota=kota).order_by("pk")),
        Cycle: [cycle],
        Proposal: list(proposals.order_by("pk")),
        Attachment: list(Attachment.objects.filter(proposal__cycle=cycle).order_by("pk")),
        Survey: list(Survey.objects.filter(proposal__cycle=cycle).order_by("pk")),
        Decision: list(Decision.objects.filter(proposal__cycle=cycle).order_by("pk")),
        Event: list(Event.objects.filter(proposal__cycle=cycle).order_by("pk")),
        Criterion: list(Criterion.objects.filter(cycle=cycle).order_by("pk")),
        Sidang: list(sessions.order_by("pk")),
        Candidate: list(Candidate.objects.filter(sidang__cycle=cycle).order_by("pk")),
        Participant: list(Participant.objects.filter(sidang__cycle=cycle).order_by("pk")),
        Minutes: list(Minutes.objects.filter(sidang__cycle=cycle).order_by("pk")),
        SignedScan: list(SignedScan.objects.filter(minutes__sidang__cycle=cycle).order_by("pk")),
    }
    # The officials who acted in the cycle, and those assigned in its kota.
    assignments = Assignment.objects.filter(Q(area__in=areas) | Q(unit__in=units))
    user_ids = set(assignments.values_list("user_id", flat=True))
    for model, objects in rows.items():
        for obj in objects:
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model is User:
                    user_ids.add(getattr(obj, field.attname))
    user_ids.discard(None)
    rows[User] = list(User.objects.filter(pk__in=user_ids).order_by("pk"))
    rows[Assignment] = list(assignments.filter(user_id__in=user_ids).order_by("pk"))
    return {model: rows[model] for model in MODELS}


def cycle_export(*, code_prefix: str) -> dict[str, Any]:
    """The cycle with this code prefix as a JSON-ready dict. Raises Cycle.DoesNotExist."""
    cycle = Cycle.objects.select_related("kota").get(code_prefix=code_prefix)
    objects = []
    for model, rows in _rows(cycle).items():
        fields = USER_FIELDS if model is User else None
        objects += serializers.serialize("python", rows, fields=fields)
    files = {}
    for row in [
        *Attachment.objects.filter(proposal__cycle=cycle),
        *Minutes.objects.filter(sidang__cycle=cycle),
        *SignedScan.objects.filter(minutes__sidang__cycle=cycle),
    ]:
        with default_storage.open(row.file.name, "rb") as stored:
            files[row.file.name] = base64.b64encode(stored.read()).decode("ascii")
    return {"format": FORMAT, "cycle": cycle.code_prefix, "objects": objects, "files": files}


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes to milliseconds; an export keeps the microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def cycle_export_file(*, code_prefix: str, path: str) -> None:
    data = cycle_export(code_prefix=code_prefix)
    with open(path, "w", encoding="utf-8") as out:
        json.dump(data, out, cls=_Encoder, ensure_ascii=False)


@transaction.atomic
def cycle_import(*, data: dict[str, Any]) -> Cycle:
    """Write an exported cycle into a database that holds none of its rows, all or nothing.
    Raises TransferError when the file is not an export or its rows or files are already here."""
    if data.get("format") != FORMAT:
        raise TransferError(f"Not a cycle export ({FORMAT}).")
    loaded = list(serializers.deserialize("python", data["objects"]))
    for model in MODELS:
        pks = [item.object.pk for item in loaded if type(item.object) is model]
        if pks and model.objects.filter(pk__in=pks).exists():
            raise TransferError(
                f"The database already holds {model._meta.verbose_name_plural} of this file; "
                "import into an empty database."
            )
    written = _files_write(data["files"])
    try:
        return _rows_write(loaded, data["cycle"])
    except BaseException:
        # The rows roll back with the transaction; the files written for them go too.
        for name in written:
            default_storage.delete(name)
        raise


def _rows_write(loaded: list, code_prefix: str) -> Cycle:
    closings = {}
    for item in sorted(loaded, key=lambda item: MODELS.index(type(item.object))):
        obj = item.object
        if isinstance(obj, User):
            obj.password = make_password(None)
        if isinstance(obj, Sidang) and obj.state == State.CLOSED:
            closings[obj.pk] = obj.closed_at
            obj.state, obj.closed_at = State.IN_PROGRESS, None
        item.save()
    for pk, closed_at in closings.items():
        Sidang.objects.filter(pk=pk).update(state=State.CLOSED, closed_at=closed_at)
    # New rows after the import must not collide with the ids it brought (PostgreSQL).
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), MODELS):
            cursor.execute(statement)
    return Cycle.objects.get(code_prefix=code_prefix)


def _files_write(files: dict[str, str]) -> list[str]:
    """Store the files of the export under their own names; returns those newly written."""
    written = []
    for name, encoded in files.items():
        content = base64.b64decode(encoded)
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as stored:
                if stored.read() == content:
                    continue
            raise TransferError(f"Another file is already stored as {name}.")
        if default_storage.save(name, ContentFile(content)) != name:
            raise TransferError(f"{name} could not be stored under its own name.")
        written.append(name)
    return written


def cycle_import_file(*, path: str) -> Cycle:
    with open(path, encoding="utf-8") as source:
        return cycle_import(data=json.load(source))
