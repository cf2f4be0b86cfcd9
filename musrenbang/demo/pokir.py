"""The demo's Pokir DPRD: Jakarta Pusat's dapil (DKI Jakarta 1, the kota's eight kecamatan), its
member dprd.jakartapusat, and one recess for the cycle now open (musrenbang 2025) two weeks
before its RW window, with the twenty aspirations heard there. Three repeat an RW's proposal of
Kenari (same RW and catalogue item): the planning office was told of them, to merge or not. Half
the other physical ones are already surveyed; none is decided yet.

Drawn from a fixed seed after the rest of the demo, so the RWs' proposals, and the 2024 figures
of the recap, stay as they were.
"""

import datetime
import random

from django.utils import timezone

from areas.models import Area, Role, User
from musrenbang.demo.officials import dapil_ensure
from musrenbang.demo.places import place
from musrenbang.demo.proposals import (
    ITEMS,
    JAKARTA,
    KENARI_CODE,
    F,
    P,
    _draft,
    _first_users,
    _survey,
)
from proposals import pokir
from proposals.models import (
    CatalogueItem,
    Cycle,
    Event,
    Proposal,
    Recess,
    Source,
    Status,
    Survey,
)
from proposals.services import member_office, office_of, proposal_code

MEMBER = "dprd.jakartapusat"
RECESS_BEFORE_RW = datetime.timedelta(days=14)  # before the cycle's RW window opens
RECESS_PLACE = "Aula Kantor Kecamatan Senen, Jl. Kramat Raya No. 160"
POKIR_TOTAL = 20
DUPLICATES = 3
SURVEYED_SHARE = 0.5
SEED = 20241


def demo_pokir_load(*, kota: Area) -> None:
    """The recess and its pokir in the kota's newest cycle, once. Idempotent."""
    dapil = dapil_ensure(kota)
    cycle = Cycle.objects.filter(kota=kota).order_by("-year").first()
    if Recess.objects.filter(dapil=dapil).exists():
        return
    member = User.objects.get(username=MEMBER)
    held_on = min(cycle.rw_opens - RECESS_BEFORE_RW, timezone.localdate())
    recess = Recess.objects.create(
        cycle=cycle,
        dapil=dapil,
        member=member.get_full_name(),
        held_on=held_on,
        place=RECESS_PLACE,
        created_by=member,
        created_at=datetime.datetime.combine(held_on, datetime.time(20, 15), JAKARTA),
    )
    rng = random.Random(SEED)
    drafts, repeated = _pokir_drafts(rng, cycle, recess, member)
    first = cycle.last_number + 1
    for number, draft in enumerate(drafts, start=first):
        draft.proposal.number = number
        draft.proposal.code = proposal_code(cycle, number)
    place([d.proposal for d in drafts])
    Proposal.objects.bulk_create([d.proposal for d in drafts])
    cycle.last_number = first + len(drafts) - 1
    cycle.save(update_fields=["last_number"])
    ids = dict(cycle.proposals.filter(number__gte=first).values_list("number", "pk"))
    for draft in drafts:
        draft.proposal.pk = ids[draft.proposal.number]
        if draft.survey:
            draft.survey.proposal = draft.proposal
    Survey.objects.bulk_create([d.survey for d in drafts if d.survey])
    office = member_office(dapil)
    Event.objects.bulk_create(
        Event(
            proposal=d.proposal,
            action=Event.Action.POKIR,
            actor=member,
            actor_office=office,
            at=d.proposal.created_at,
            note=pokir.recess_note(recess),
        )
        for d in drafts
    )
    _surveyed_events(drafts)
    for proposal, duplicate in repeated:
        pokir.duplicates_tell(proposal, [duplicate])


def _pokir_drafts(rng, cycle, recess, member):
    """The twenty aspirations: first the ones repeating an RW proposal of Kenari, then the
    rest over the dapil's RWs; returns them, and (pokir, RW proposal) for each repeat."""
    entries = {e.code: e for e in CatalogueItem.objects.filter(unit__kota=cycle.kota)}
    by_code = {item.code: item for item in ITEMS}
    originals = list(
        cycle.proposals.filter(
            source=Source.RW, kelurahan__code=KENARI_CODE, category=F, catalogue_item__isnull=False
        )
        .select_related("rw__parent__parent", "catalogue_item")
        .order_by("number")
    )
    chosen = rng.sample(originals, DUPLICATES)
    slots = [(p.rw, by_code[p.catalogue_item.code], p) for p in chosen]
    rws = list(
        Area.objects.rw().within(cycle.kota).select_related("parent__parent").order_by("code")
    )
    choices = {c: [i for i in ITEMS if i.category == c and i.weight] for c in (F, P)}
    for _ in range(POKIR_TOTAL - DUPLICATES):
        options = choices[P if rng.random() < 0.25 else F]
        item = rng.choices(options, weights=[i.weight for i in options])[0]
        slots.append((rng.choice(rws), item, None))
    officers = _first_users(Role.UKPD, "unit_id", unit__kota=cycle.kota)
    drafts, repeated = [], []
    for index, (rw, item, original) in enumerate(slots):
        draft = _draft(rng, rw, item, entries[item.code], member)
        proposal = draft.proposal
        proposal.cycle = cycle
        proposal.source, proposal.recess, proposal.status = Source.POKIR, recess, Status.POKIR
        proposal.created_at = recess.created_at + datetime.timedelta(minutes=3 * index)
        proposal.submitted_at = proposal.created_at
        if original is not None:
            repeated.append((proposal, original))
        elif item.category == F and rng.random() < SURVEYED_SHARE:
            draft.survey = survey = _survey_of(rng, draft, officers[proposal.target_unit_id])
            proposal.recommendation = survey.recommendation
        drafts.append(draft)
    return drafts, repeated


def _survey_of(rng, draft, officer) -> Survey:
    """A recommending survey a few days after the recess (never after today), with findings
    written as the RWs' surveys are."""
    # _survey draws its day in the 2024 survey window; the day is set after the recess below.
    draft.accepted_at = datetime.datetime(2024, 1, 31, 9, 0, tzinfo=JAKARTA)
    survey = _survey(rng, draft, officer, True)
    held_on = draft.proposal.recess.held_on
    day = min(held_on + datetime.timedelta(days=rng.randint(3, 12)), timezone.localdate())
    survey.surveyed_on = day
    survey.recorded_at = datetime.datetime.combine(day, datetime.time(15, 30), JAKARTA)
    return survey


def _surveyed_events(drafts) -> None:
    unit_offices: dict[int, str] = {}
    events = []
    for draft in drafts:
        if not (survey := draft.survey):
            continue
        officer = survey.officer
        if officer.pk not in unit_offices:
            unit_offices[officer.pk] = office_of(officer, Role.UKPD)
        events.append(
            Event(
                proposal=draft.proposal,
                action=Event.Action.SURVEYED,
                actor=officer,
                actor_office=unit_offices[officer.pk],
                at=survey.recorded_at,
                note=survey.get_recommendation_display(),
            )
        )
    Event.objects.bulk_create(events)
