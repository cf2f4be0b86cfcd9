"""Spreadsheet import of proposals: read an XLSX or CSV, check every row, then write all or none.

Planning officers and lurah bring in the proposals that RWs still hand over on spreadsheets.
Every row is checked before anything is written, so a file either lands whole or changes
nothing and comes back with the list of what to fix, by spreadsheet row and column.
Reading the file is in spreadsheet.py, checking its rows in import_rows.py; writing them is here.
"""

from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from areas import audit, scope
from areas.models import Role, User
from proposals import notify
from proposals.import_rows import IMPORT_ROLES, rows_check
from proposals.models import Cycle, Event, Proposal, Status
from proposals.services import _allocate_numbers, office_of, proposal_code
from proposals.spreadsheet import MAX_ROWS, UTF_8, Problem, read_rows

# One INSERT per table for a whole file on PostgreSQL (Django still splits it where SQLite's
# limit on parameters requires): ten round trips for 10,000 rows were ten times the work.
BATCH_SIZE = MAX_ROWS


def _offices(user: User):
    """A function giving, for an RW code, the office the user imports it as."""
    assignments = sorted(
        (a for a in scope.assignments(user) if a.role in IMPORT_ROLES),
        key=lambda a: len(a.area.code),
        reverse=True,  # the most specific office first: a lurah before the planning office
    )
    cache: dict[str, str] = {}

    def office(rw_code: str) -> str:
        kelurahan_code = rw_code.rsplit(".", 1)[0]
        if kelurahan_code not in cache:
            holder = next(
                (
                    a
                    for a in assignments
                    if rw_code == a.area.code or rw_code.startswith(a.area.code + ".")
                ),
                None,
            )
            if holder is None:  # a superuser acts for the planning office
                cache[kelurahan_code] = office_of(user, Role.PLANNING)
            elif holder.role == Role.LURAH:
                cache[kelurahan_code] = office_of(user, Role.LURAH, holder.area)
            else:
                cache[kelurahan_code] = office_of(user, Role.PLANNING)
        return cache[kelurahan_code]

    return office


@transaction.atomic
def _write(*, cycle: Cycle, rows: list[dict], by: User, file_name: str) -> int:
    now = timezone.now()
    first = _allocate_numbers(cycle, len(rows))
    office = _offices(by)
    proposals = []
    offices = {}
    for offset, fields in enumerate(rows):
        number = first + offset
        offices[number] = office(fields.pop("rw_code"))
        proposals.append(
            Proposal(
                cycle=cycle,
                number=number,
                code=proposal_code(cycle, number),
                status=Status.SUBMITTED,
                submitted_at=now,
                created_at=now,
                created_by=by,
                **fields,
            )
        )
    # Both engines (PostgreSQL, SQLite ≥ 3.35) return the new ids from a bulk insert.
    Proposal.objects.bulk_create(proposals, batch_size=BATCH_SIZE)
    ids = [(proposal.number, proposal.pk) for proposal in proposals]
    Event.objects.bulk_create(
        [
            Event(
                proposal_id=pk,
                action=Event.Action.IMPORTED,
                actor=by,
                actor_office=offices[number],
                at=now,
                note=file_name,
            )
            for number, pk in ids
        ],
        batch_size=BATCH_SIZE,
    )
    _audit_import(cycle, first=first, count=len(rows), file_name=file_name)
    if settings.SURVEY_BEFORE_ACCEPTANCE:  # submitted, so in the survey queue already
        notify.surveys_due_tell(proposals)
    return len(rows)


def _audit_import(cycle: Cycle, *, first: int, count: int, file_name: str) -> None:
    # One audit entry for the whole file, on the cycle whose numbers it took: who, when, from
    # where, which file and which codes. (Each proposal's journey has its own "imported" event;
    # ten thousand field-by-field entries cost more time and memory than the import itself.)
    last = first + count - 1
    audit.record_change(
        cycle,
        {"last_number": [first - 1, last]},
        {
            "import": {
                "file": file_name,
                "rows": count,
                "codes": [proposal_code(cycle, first), proposal_code(cycle, last)],
            }
        },
    )


def may_import(user: User) -> bool:
    """Whether the user may import at all: a planning officer, a lurah, or the superuser."""
    reach = scope.reach(user)
    return reach.everything or bool(reach.roles & IMPORT_ROLES)


class Imported(NamedTuple):
    count: int
    notes: list[Problem]  # cells changed on the way in (control characters left out), by row


def proposals_import(
    *, cycle: Cycle, data: bytes, file_name: str, by: User, encoding: str = UTF_8
) -> Imported:
    """Import every proposal of the spreadsheet into the cycle, submitted, or none of them.

    A CSV file is read in `encoding`. Returns how many were imported and what was changed in
    their cells; raises ImportRejected with every problem found otherwise.
    """
    header, rows = read_rows(data, file_name, encoding=encoding)
    checked = rows_check(cycle=cycle, user=by, header=header, rows=rows)
    count = _write(cycle=cycle, rows=checked.rows, by=by, file_name=file_name)
    return Imported(count, checked.notes)
