"""A UKPD officer's home lists the accommodated proposals whose realisation has not moved."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from areas.models import Role
from proposals.models import Realisation, Stage
from tests.conftest import official
from tests.proposal_fixtures import make_proposal
from tests.realisation_fixtures import accommodate

DAYS = datetime.timedelta(days=1)


def stale_list(client):
    panel = next(p for p in client.get("/").context["panels"] if p.title == "Survei UKPD")
    return panel.stale


@pytest.fixture
def realisations(cycle, rw_kenari, betonisasi, suban):
    """Bina Marga's work: not started (recent and old), reported lately, reported long ago,
    done long ago."""
    today = timezone.localdate()
    made = []
    for stage, days_ago, reported_days_ago in [
        ("", 10, None),
        ("", 200, None),
        (Stage.EXECUTION, 200, 10),
        (Stage.EXECUTION, 300, 120),
        (Stage.DONE, 300, 200),
    ]:
        proposal = make_proposal(cycle, rw_kenari[0], betonisasi, suban)
        realisation = accommodate(proposal, suban, days_ago=days_ago)
        realisation.stage = stage
        realisation.reported_on = reported_days_ago and today - reported_days_ago * DAYS
        realisation.save()
        made.append(realisation)
    return made


def test_the_unit_sees_what_has_not_moved_oldest_first(client, ukpd_binamarga, realisations):
    client.force_login(ukpd_binamarga)
    stale = stale_list(client)
    # Not started (either one), or no report for three months; done is done.
    assert stale.count == 3 and stale.months == 3
    # The last news of each: 200 days ago (the decision), 120 (a report), 10 (the decision).
    assert [r.pk for r in stale.realisations] == [
        realisations[1].pk,
        realisations[3].pk,
        realisations[0].pk,
    ]
    html = client.get("/").content.decode()
    assert "Realisasi belum bergerak" in html
    for realisation in stale.realisations:
        assert reverse("proposals:progress", args=[realisation.proposal_id]) in html


def test_another_unit_sees_none_of_them(client, sda, realisations):
    client.force_login(official("ukpd.sda", Role.UKPD, unit=sda))
    assert stale_list(client).count == 0


def test_the_months_follow_the_cycle(client, ukpd_binamarga, realisations, cycle):
    cycle.stale_progress_months = 12
    cycle.save()
    client.force_login(ukpd_binamarga)
    assert stale_list(client).count == 2  # the two not started


def test_the_list_is_bounded_and_its_queries_constant(
    client, ukpd_binamarga, realisations, cycle, rw_kenari, betonisasi, suban
):
    client.force_login(ukpd_binamarga)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    few = queries()
    for _ in range(15):
        accommodate(make_proposal(cycle, rw_kenari[1], betonisasi, suban), suban, days_ago=150)
    assert queries() == few
    stale = stale_list(client)
    assert stale.count == 18 and len(stale.realisations) == 10
    assert Realisation.objects.count() == 20
