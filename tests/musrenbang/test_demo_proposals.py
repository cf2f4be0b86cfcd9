"""The demo's musrenbang 2024: the reported totals, consistent journeys, the same data twice."""

import datetime
import hashlib
from collections import Counter, defaultdict

import pytest
from auditlog.context import disable_auditlog
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from areas.models import Area
from musrenbang.demo import demo_counts
from musrenbang.demo.officials import slug
from proposals.models import (
    CALENDAR_ORDER,
    CatalogueItem,
    Category,
    Cycle,
    Event,
    Proposal,
    Recommendation,
    Status,
    Survey,
    rupiah_cost,
)

REPORTED = {
    "Sawah Besar": 195,
    "Cempaka Putih": 113,
    "Gambir": 137,
    "Johar Baru": 164,
    "Kemayoran": 303,
    "Menteng": 133,
    "Senen": 183,
    "Tanah Abang": 223,
}
KENARI = "31.71.04.1002"


@pytest.fixture(autouse=True)
def proposals_only(monkeypatch):
    """The proposals as the demo generates them, before any sidang decides on them (the demo's
    sessions have their own tests: test_demo_sessions), and without the DPRD's pokir, which
    go into the cycle the aftermath opens (tests/musrenbang/demo)."""
    monkeypatch.setattr("musrenbang.demo.demo_sessions_load", lambda **kwargs: None)
    monkeypatch.setattr("musrenbang.demo.demo_aftermath_load", lambda **kwargs: None)
    monkeypatch.setattr("musrenbang.demo.demo_pokir_load", lambda **kwargs: None)


def load_demo(settings) -> Cycle:
    settings.DEBUG = True
    call_command("demo")
    return Cycle.objects.get(kota__code="31.71", year=2024)


def digest() -> str:
    """A fingerprint of what the demo generated, to compare two loads."""
    rows = Proposal.objects.order_by("number").values_list(
        "code", "title", "rw__code", "volume", "status", "recommendation", "submitted_at"
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_demo_holds_the_2024_cycle_as_reported(db, settings):
    cycle = load_demo(settings)
    assert (cycle.code_prefix, cycle.quota_kelurahan, cycle.quota_kecamatan) == ("JP24", 5, 3)
    assert (cycle.rw_opens, cycle.rw_closes) == (
        datetime.date(2024, 1, 2),
        datetime.date(2024, 2, 16),
    )
    assert cycle.pleno_pembuka_on == datetime.date(2024, 2, 26)
    assert (cycle.kelompok_opens, cycle.kelompok_closes) == (
        datetime.date(2024, 2, 27),
        datetime.date(2024, 3, 5),
    )
    assert (cycle.kecamatan_opens, cycle.kecamatan_closes) == (
        datetime.date(2024, 3, 6),
        datetime.date(2024, 3, 14),
    )
    assert cycle.penutupan_on == datetime.date(2024, 3, 19)
    for earlier, later in CALENDAR_ORDER:  # the order the database's constraints also keep
        assert getattr(cycle, earlier) <= getattr(cycle, later)
    cycle.full_clean()

    proposals = cycle.proposals.all()
    assert proposals.count() == 1451
    assert cycle.last_number == 1451
    assert set(proposals.values_list("code", flat=True)) == {
        f"JP24-{n:05d}" for n in range(1, 1452)
    }
    assert Counter(proposals.values_list("kecamatan__name", flat=True)) == REPORTED
    assert Counter(proposals.values_list("category", flat=True)) == {
        Category.FISIK: 1072,
        Category.PENGADAAN: 379,
    }
    rws = Area.objects.rw().within(Area.objects.get(code="31.71"))
    assert rws.count() == 386
    assert not rws.exclude(proposals__cycle=cycle).exists()

    catalogue = CatalogueItem.objects.filter(unit__kota=cycle.kota)
    assert catalogue.count() >= 35
    assert {"binamarga", "sda", "prkp", "sosial", "lingkunganhidup", "damkar"} <= set(
        catalogue.values_list("unit__code", flat=True)
    )
    assert catalogue.filter(category=Category.NON_FISIK).exists()
    assert not proposals.filter(category=Category.NON_FISIK).exists()
    assert not proposals.exclude(target_unit=F("catalogue_item__unit")).exists()

    rows = proposals.values_list(
        "rw__parent_id",
        "kelurahan_id",
        "kelurahan__parent_id",
        "kecamatan_id",
        "volume",
        "unit_price",
        "cost",
        "created_by__username",
        "rw__code",
        "kelurahan__name",
        "submitted_at",
    )
    jakarta = timezone.get_default_timezone()
    for (
        rw_parent,
        kel,
        kel_parent,
        kec,
        volume,
        price,
        cost,
        author,
        rw_code,
        kel_name,
        sent,
    ) in rows:
        assert (rw_parent, kel_parent) == (kel, kec)
        assert cost == rupiah_cost(volume, price)
        assert author == f"rw.{slug(kel_name)}.{rw_code[-3:]}"
        assert datetime.date(2024, 1, 2) <= sent.astimezone(jakarta).date() <= cycle.rw_closes

    waiting = Counter(
        proposals.filter(status=Status.SUBMITTED).values_list("kecamatan__name", flat=True)
    )
    assert all(1 <= waiting[name] <= 5 for name in REPORTED)
    assert proposals.filter(status=Status.ACCEPTED).count() == 1451 - sum(waiting.values())


def test_demo_surveys_fisik_proposals_and_records_each_journey(db, settings):
    cycle = load_demo(settings)
    proposals = cycle.proposals.all()
    fisik = proposals.filter(category=Category.FISIK)
    surveys = Survey.objects.filter(proposal__cycle=cycle)
    assert not surveys.exclude(proposal__category=Category.FISIK).exists()
    assert 0.55 <= surveys.count() / fisik.count() <= 0.75
    recommended = surveys.filter(recommendation=Recommendation.RECOMMENDED)
    assert 0.7 <= recommended.count() / surveys.count() <= 0.9
    assert not recommended.exclude(reason="").exists()
    assert not surveys.filter(recommendation=Recommendation.NOT_RECOMMENDED, reason="").exists()
    for survey in surveys.select_related("proposal", "officer", "proposal__target_unit"):
        proposal = survey.proposal
        assert survey.officer.username == f"ukpd.{proposal.target_unit.code}"
        assert survey.surveyed_on.month == 2 and survey.surveyed_on.year == 2024
        assert survey.revised_cost == rupiah_cost(survey.revised_volume, proposal.unit_price)
        assert abs(survey.revised_volume - proposal.volume) <= proposal.volume * 2 / 10 + 1
        assert proposal.recommendation == survey.recommendation
    assert not proposals.filter(survey__isnull=True).exclude(recommendation="").exists()

    kenari = proposals.filter(kelurahan__code=KENARI)
    assert not kenari.exclude(status=Status.ACCEPTED).exists()
    assert (
        kenari.filter(category=Category.FISIK, recommendation=Recommendation.RECOMMENDED).count()
        >= 8
    )

    journeys = defaultdict(list)
    for proposal_id, action, at, office in Event.objects.filter(proposal__cycle=cycle).values_list(
        "proposal_id", "action", "at", "actor_office"
    ):
        journeys[proposal_id].append((action, at, office))
    facts = proposals.values_list("pk", "status", "survey__pk", "rw__code", "kelurahan__name")
    for pk, status, survey_pk, rw_code, kelurahan in facts:
        steps = sorted(journeys[pk], key=lambda step: step[1])
        expected = ["created", "submitted"]
        expected += ["accepted"] if status == Status.ACCEPTED else []
        expected += ["surveyed"] if survey_pk else []
        assert [action for action, _, _ in steps] == expected
        assert len({at for _, at, _ in steps}) == len(steps)  # strictly one after the other
        assert steps[0][2] == f"Ketua RW {rw_code[-3:]} {kelurahan}"
        if status == Status.ACCEPTED:
            assert steps[2][2] == f"Lurah {kelurahan}"


def test_demo_loads_twice_without_duplicates_and_regenerates_the_same_data(db, settings):
    cycle = load_demo(settings)
    kota = cycle.kota
    first, fingerprint = demo_counts(kota), digest()
    events = Event.objects.count()
    assert (first["proposals"], first["catalogue"]) == (1451, CatalogueItem.objects.count())

    load_demo(settings)
    assert demo_counts(kota) == first
    assert Event.objects.count() == events
    assert digest() == fingerprint

    # A fresh generation (the catalogue, areas and users stay) gives the very same proposals.
    with disable_auditlog():
        cycle.proposals.all().delete()
    Cycle.objects.filter(pk=cycle.pk).update(last_number=0)
    load_demo(settings)
    assert demo_counts(kota) == first
    assert digest() == fingerprint
