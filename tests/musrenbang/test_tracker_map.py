"""The public tracker's map: the proposals of the chosen RW or kelurahan, as the list shows them."""

import html
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.services import rw_ensure
from proposals.models import Status
from tests.proposal_fixtures import make_proposal

pytestmark = pytest.mark.django_db

TRACKER = reverse("tracker")
POINT = {"latitude": Decimal("-6.181234"), "longitude": Decimal("106.846789")}


def map_of(response) -> dict | None:
    """The points the page hands its map, or None when it draws no map."""
    match = re.search(r'data-points="([^"]*)"', response.content.decode())
    return json.loads(html.unescape(match.group(1))) if match else None


def search(client, senen, kenari, rw=None):
    params = {"kecamatan": senen.pk, "kelurahan": kenari.pk}
    if rw is not None:
        params["rw"] = rw.pk
    response = client.get(TRACKER, params)
    assert response.status_code == 200
    return response


@pytest.fixture
def located(cycle, rw_kenari, betonisasi, rw_kenari_001):
    return make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001, **POINT)


def test_the_rw_map_shows_its_submitted_proposals_with_what_the_list_shows(
    client, senen, kenari, rw_kenari, located
):
    points = map_of(search(client, senen, kenari, rw_kenari[0]))
    assert points["points"] == [
        [-6.181234, 106.846789, located.code, located.code, "submitted", located.title]
    ]
    assert points["link"].replace("{key}", located.code) == reverse(
        "tracker_proposal", args=[located.code]
    )


def test_a_draft_never_shows(
    client, senen, kenari, rw_kenari, cycle, betonisasi, rw_kenari_001, located
):
    make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001, status=Status.DRAFT, **POINT)
    for rw in (rw_kenari[0], None):
        points = map_of(search(client, senen, kenari, rw))["points"]
        assert [point[2] for point in points] == [located.code]


def test_nothing_the_public_page_hides_is_sent(client, senen, kenari, rw_kenari, located):
    response = search(client, senen, kenari, rw_kenari[0])
    (point,) = map_of(response)["points"]
    assert located.pk not in point[2:]  # codes, never ids
    body = response.content.decode()
    for private in (located.address, located.problem, located.created_by.username):
        assert private not in body


def test_the_kelurahan_map_shows_every_rw_and_no_other_kelurahan(
    client, senen, kenari, rw_kenari, cycle, betonisasi, rw_kenari_001, located, proposal_paseban
):
    proposal_paseban.latitude, proposal_paseban.longitude = POINT.values()
    proposal_paseban.save()
    other_rw = make_proposal(cycle, rw_kenari[1], betonisasi, rw_kenari_001, **POINT)
    response = search(client, senen, kenari)
    assert "Usulan Kelurahan Kenari" in response.content.decode()
    assert {point[2] for point in map_of(response)["points"]} == {located.code, other_rw.code}
    # the RW's map has its own only
    rw_map = map_of(search(client, senen, kenari, rw_kenari[1]))
    assert [point[2] for point in rw_map["points"]] == [other_rw.code]


def test_without_points_there_is_no_map_and_it_says_why(
    client, senen, kenari, rw_kenari, proposal_kenari
):
    response = search(client, senen, kenari, rw_kenari[0])
    assert map_of(response) is None
    body = response.content.decode()
    assert "Belum ada usulan dengan titik lokasi di peta." in body
    assert "leaflet.js" not in body


def test_before_a_kelurahan_is_chosen_there_is_no_map(client, senen, located):
    body = client.get(TRACKER, {"kecamatan": senen.pk}).content.decode()
    assert "data-map" not in body


def test_map_queries_do_not_grow_with_the_proposals(
    client, senen, kenari, rw_kenari, cycle, betonisasi, superuser
):
    def grow(n):
        for i in range(n):
            make_proposal(cycle, rw_kenari[i % 2], betonisasi, superuser, **POINT)

    def count(rw=None) -> int:
        with CaptureQueriesContext(connection) as captured:
            search(client, senen, kenari, rw)
        return len(captured)

    grow(3)
    small = count(), count(rw_kenari[0])
    grow(40)
    rw_ensure(kelurahan=kenari, count=12)
    assert (count(), count(rw_kenari[0])) == small
    assert len(map_of(search(client, senen, kenari))["points"]) == 43
