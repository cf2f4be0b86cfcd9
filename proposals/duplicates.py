"""Proposals like another one: the same RW and catalogue item, or a similar title in the same
kelurahan, in the same cycle or the last ones (as far back as proposals are carried over).

PostgreSQL measures titles by trigram similarity (pg_trgm, installed by migration 0004);
SQLite, which has no such thing, by the overlap of their words, computed here over a bounded
set of the kelurahan's titles. Either way the RW and the lurah are warned, never stopped.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Upper

from areas.models import Area, Role, User
from areas.scope import reach
from proposals.models import Cycle, Proposal

# Titles this alike (0 to 1) are taken for the same need.
SIMILARITY = 0.5
# Shown at most; the most alike first.
LIMIT = 10
# SQLite: titles of the kelurahan compared in Python at most (a kelurahan has a few hundred).
CANDIDATES = 2000

WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Subject:
    """What a proposal is compared by: where it comes from, what it asks for, and itself (with
    its carry chain) to leave out."""

    cycle: Cycle
    rw: Area
    title: str
    catalogue_item_id: int | None
    proposal: Proposal | None = None

    @classmethod
    def of(cls, proposal: Proposal) -> "Subject":
        return cls(
            proposal.cycle, proposal.rw, proposal.title, proposal.catalogue_item_id, proposal
        )


def may_see_duplicates(user: User, proposal: Proposal) -> bool:
    """The warning is for the RW that wrote the proposal and the lurah who validates it; of a
    DPRD member's pokir, for the planning office that decides on it (and may merge it)."""
    user_reach = reach(user)
    if proposal.source == "pokir":
        return user_reach.holds(Role.PLANNING, proposal.rw.code)
    return user_reach.holds(Role.RW, proposal.rw.code) or user_reach.holds(
        Role.LURAH, proposal.rw.code
    )


def similar_proposals(subject: Subject | Proposal, user: User) -> list[Proposal]:
    """The proposals `user` may see that look like `subject`, the most alike first. Two
    queries (PostgreSQL and SQLite alike), whatever the number of proposals."""
    if isinstance(subject, Proposal):
        subject = Subject.of(subject)
    cycle = subject.cycle
    rows = (
        Proposal.objects.visible_to(user)
        .filter(
            kelurahan_id=subject.rw.parent_id,
            cycle__kota_id=cycle.kota_id,
            cycle__year__gte=cycle.year - cycle.carry_over_cycles,
            cycle__year__lte=cycle.year,
        )
        .order_by("-pk")
    )
    scored = _scored(rows, subject)
    chain = _chain(subject.proposal, scored)
    found = sorted(
        (
            (score, pk)
            for pk, (score, rw_id, item_id, _from) in scored.items()
            if pk not in chain
            and (
                score >= SIMILARITY
                or (subject.catalogue_item_id and (rw_id, item_id) == _same(subject))
            )
        ),
        reverse=True,
    )[:LIMIT]
    by_pk = Proposal.objects.select_related("cycle", "rw__parent").in_bulk(
        [pk for _score, pk in found]
    )
    return [by_pk[pk] for _score, pk in found if pk in by_pk]


def _same(subject: Subject) -> tuple[int, int | None]:
    return subject.rw.pk, subject.catalogue_item_id


Row = tuple[float, int, int | None, int | None]  # score, RW, catalogue item, carried from


def _scored(rows, subject: Subject) -> dict[int, Row]:
    """Each candidate's title score, with what the rules and the carry chain need."""
    fields = ("pk", "rw_id", "catalogue_item_id", "carried_from_id")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        rows = (
            rows.annotate(score=TrigramSimilarity(Upper("title"), subject.title.upper()))
            .filter(Q(score__gte=SIMILARITY) | Q(rw_id=subject.rw.pk))
            .values_list(*fields, "score")[:CANDIDATES]
        )
        return {pk: (score, rw, item, came) for pk, rw, item, came, score in rows}
    words = _words(subject.title)
    return {
        pk: (_overlap(words, _words(title)), rw, item, came)
        for pk, rw, item, came, title in rows.values_list(*fields, "title")[:CANDIDATES]
    }


def _words(title: str) -> frozenset[str]:
    return frozenset(WORDS.findall(title.casefold()))


def _overlap(one: frozenset[str], other: frozenset[str]) -> float:
    """The words the titles share among all the words of both (1: the same words)."""
    if not one or not other:
        return 0.0
    return len(one & other) / len(one | other)


def _chain(proposal: Proposal | None, scored: dict[int, Row]) -> set[int]:
    """The proposal and the ones it was carried from: the same need, not a duplicate. Its
    forebears lie in its RW and in the cycles compared, so among the candidates."""
    if proposal is None or proposal.pk is None:
        return set()
    chain = {proposal.pk}
    came = proposal.carried_from_id
    while came is not None and came not in chain:
        chain.add(came)
        came = scored[came][3] if came in scored else None
    return chain
