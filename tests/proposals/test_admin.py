"""The proposals changelist of the admin: scoped, and in the same few queries however many
cycles and proposals there are."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals.models import Cycle
from tests.proposal_fixtures import make_proposal

CHANGELIST = reverse("admin:proposals_proposal_changelist")


def add_cycles(kota, years):
    for year in years:
        Cycle.objects.create(
            kota=kota,
            year=year,
            code_prefix=f"X{year % 100:02d}{kota.pk % 100:02d}",
            rw_opens=datetime.date(year - 1, 12, 1),
            rw_closes=datetime.date(year - 1, 12, 31),
        )


def test_the_cycle_filter_offers_the_officials_own_cycles(
    client, suban, cycle, kota_jaksel, proposal_kenari
):
    add_cycles(kota_jaksel, [2023])
    add_cycles(cycle.kota, [2025])  # a filter with a single choice is not shown
    client.force_login(suban)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert str(cycle) in content and "Musrenbang 2025" in content
    assert "Jakarta Selatan" not in content


def test_changelist_queries_do_not_grow_with_cycles_and_proposals(
    client, superuser, cycle, kota_jp, kota_jaksel, rw_kenari, betonisasi, rw_kenari_001
):
    client.force_login(superuser)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CHANGELIST).status_code == 200
        return len(captured)

    make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001)
    small = count()
    add_cycles(kota_jp, range(2025, 2031))
    add_cycles(kota_jaksel, range(2025, 2031))
    for _ in range(30):
        make_proposal(cycle, rw_kenari[1], betonisasi, rw_kenari_001)
    assert count() == small <= 10
