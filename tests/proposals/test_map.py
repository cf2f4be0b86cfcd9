"""The proposals on a map: the map view of the table's filtered set, its points, the picker."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from musrenbang.settings import tile_origin
from proposals import map_views
from proposals.models import Status
from proposals.plausible import LATITUDE_BOUNDS, LONGITUDE_BOUNDS
from tests.proposal_fixtures import make_proposal

pytestmark = pytest.mark.django_db

MAP = reverse("proposals:map")
POINTS = reverse("proposals:map_points")
KENARI_POINT = {"latitude": Decimal("-6.181234"), "longitude": Decimal("106.846789")}


@pytest.fixture
def located_kenari(cycle, rw_kenari, betonisasi, rw_kenari_001):
    return make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001, **KENARI_POINT)


def points_of(client, **params) -> dict:
    response = client.get(POINTS, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def codes(payload: dict) -> set[str]:
    return {point[3] for point in payload["points"]}


# -- The page --------------------------------------------------------------------------------


def test_it_shows_the_filters_over_a_map_that_fetches_the_same_filters(client, lurah_kenari):
    client.force_login(lurah_kenari)
    response = client.get(MAP, {"status": "submitted", "q": "saluran"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-map="points"' in html
    assert f'data-points-url="{POINTS}?status=submitted&amp;q=saluran"' in html
    assert 'href="/usulan/?status=submitted&amp;q=saluran"' in html  # back to the table
    assert "vendor/leaflet/leaflet.js" in html and "js/map.js" in html
    assert "<script>" not in html  # no inline script: the CSP forbids it


def test_the_table_links_to_the_map_of_its_filters(client, lurah_kenari):
    client.force_login(lurah_kenari)
    html = client.get(reverse("proposals:list"), {"status": "accepted"}).content.decode()
    assert f'href="{MAP}?status=accepted"' in html


def test_a_visitor_is_sent_to_sign_in(client):
    assert client.get(MAP).status_code == 302
    assert client.get(POINTS).status_code == 302


def test_it_rejects_post(client, lurah_kenari):
    client.force_login(lurah_kenari)
    assert client.post(MAP).status_code == 405
    assert client.post(POINTS).status_code == 405


def test_the_csp_lets_images_come_from_the_tile_host_only(client, lurah_kenari):
    client.force_login(lurah_kenari)
    policy = client.get(MAP)["Content-Security-Policy"]
    img_src = next(d for d in policy.split(";") if d.strip().startswith("img-src"))
    assert img_src.split() == ["img-src", "'self'", "data:", "https://tile.openstreetmap.org"]


def test_the_map_names_its_tiles_credit_and_the_bounds_the_form_checks(client, lurah_kenari):
    client.force_login(lurah_kenari)
    html = client.get(MAP).content.decode()
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    assert 'data-attribution="© OpenStreetMap contributors"' in html
    south, north = LATITUDE_BOUNDS
    west, east = LONGITUDE_BOUNDS
    assert f'data-bounds="{south},{west},{north},{east}"' in html


@pytest.mark.parametrize(
    "url, origin",
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.id/{z}/{x}/{y}.png", "https://*.tile.example.id"),
        ("http://peta.jakarta.go.id:8080/tiles/{z}/{x}/{y}.png", "http://peta.jakarta.go.id:8080"),
        ("", None),
    ],
)
def test_the_tile_origin_is_derived_from_the_tile_url(url, origin):
    assert tile_origin(url) == origin


@pytest.mark.parametrize(
    "url", ["tile.openstreetmap.org/{z}/{x}/{y}.png", "javascript:alert(1)", "https://{r}.x/{z}"]
)
def test_a_tile_url_that_is_no_web_address_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        tile_origin(url)


# -- The points ------------------------------------------------------------------------------


def test_a_point_carries_its_place_id_code_and_status_and_links_to_its_page(
    client, lurah_kenari, located_kenari
):
    client.force_login(lurah_kenari)
    payload = points_of(client)
    assert payload["points"] == [
        [-6.181234, 106.846789, located_kenari.pk, located_kenari.code, "submitted"]
    ]
    assert payload["capped"] is False
    assert payload["link"].replace("{key}", str(located_kenari.pk)) == (
        located_kenari.get_absolute_url()
    )
    assert payload["statuses"]["submitted"] == "Diajukan ke kelurahan"


def test_a_proposal_without_coordinates_is_no_point(
    client, lurah_kenari, proposal_kenari, located_kenari
):
    client.force_login(lurah_kenari)
    assert codes(points_of(client)) == {located_kenari.code}


def test_the_table_filters_choose_the_points(
    client, lurah_kenari, cycle, rw_kenari, betonisasi, rw_kenari_001, located_kenari
):
    accepted = make_proposal(
        cycle, rw_kenari[1], betonisasi, rw_kenari_001, status=Status.ACCEPTED, **KENARI_POINT
    )
    client.force_login(lurah_kenari)
    assert codes(points_of(client)) == {located_kenari.code, accepted.code}
    assert codes(points_of(client, status="accepted")) == {accepted.code}
    assert codes(points_of(client, rw=rw_kenari[1].pk)) == {accepted.code}


def test_lurah_of_another_kelurahan_gets_none_of_its_points(
    client, lurah_paseban, located_kenari, kenari
):
    client.force_login(lurah_paseban)
    assert points_of(client)["points"] == []
    # Naming Kenari in the address changes nothing: the filter only narrows what is visible.
    assert points_of(client, kelurahan=kenari.pk)["points"] == []
    # and the point's own page is a 404 for them
    assert client.get(located_kenari.get_absolute_url()).status_code == 404


def test_a_draft_is_a_point_for_its_rw_only(
    client, lurah_kenari, rw_kenari_001, cycle, rw_kenari, betonisasi
):
    draft = make_proposal(
        cycle, rw_kenari[0], betonisasi, rw_kenari_001, status=Status.DRAFT, **KENARI_POINT
    )
    client.force_login(lurah_kenari)
    assert points_of(client)["points"] == []
    client.force_login(rw_kenari_001)
    assert codes(points_of(client)) == {draft.code}


def test_the_planning_office_sees_the_kota(client, suban, located_kenari, proposal_jaksel):
    proposal_jaksel.latitude, proposal_jaksel.longitude = Decimal("-6.26"), Decimal("106.81")
    proposal_jaksel.save()
    client.force_login(suban)
    assert codes(points_of(client)) == {located_kenari.code}  # not Jakarta Selatan's


def test_points_past_the_limit_are_left_out_and_it_says_so(
    client, lurah_kenari, cycle, rw_kenari, betonisasi, rw_kenari_001, monkeypatch
):
    monkeypatch.setattr(map_views, "MAP_POINTS_LIMIT", 2)
    made = [
        make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001, **KENARI_POINT)
        for _ in range(3)
    ]
    client.force_login(lurah_kenari)
    payload = points_of(client)
    assert payload["capped"] is True and payload["limit"] == 2
    assert codes(payload) == {made[2].code, made[1].code}  # the newest
    made[0].delete()
    assert points_of(client)["capped"] is False


def test_points_queries_do_not_grow_with_the_proposals(
    client, suban, cycle, rw_kenari, betonisasi, superuser
):
    def grow(n):
        for _ in range(n):
            make_proposal(cycle, rw_kenari[0], betonisasi, superuser, **KENARI_POINT)

    def count(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"status": "submitted"}).status_code == 200
        return len(captured)

    client.force_login(suban)
    grow(3)
    small = count(POINTS), count(MAP)
    grow(40)
    assert (count(POINTS), count(MAP)) == small
    assert small[0] <= 8
    assert len(points_of(client)["points"]) == 43


def test_the_points_are_compact(client, suban, cycle, rw_kenari, betonisasi, superuser):
    for _ in range(50):
        make_proposal(cycle, rw_kenari[0], betonisasi, superuser, **KENARI_POINT)
    client.force_login(suban)
    body = client.get(POINTS).content
    statuses = len(json.dumps(json.loads(body)["statuses"], ensure_ascii=False).encode())
    assert (len(body) - statuses) / 50 < 70  # bytes a point, not HTML


# -- The picker ------------------------------------------------------------------------------


def test_the_form_has_a_picker_over_the_coordinates(client, rw_kenari_001, cycle, betonisasi):
    client.force_login(rw_kenari_001)
    html = client.get(reverse("proposals:create")).content.decode()
    assert 'data-map="pick" data-lat="id_latitude" data-lon="id_longitude"' in html
    assert "Gunakan lokasi saya" in html
    # The number fields stay, bounded as the form checks them.
    assert (
        f'name="latitude" step="0.000001" min="{LATITUDE_BOUNDS[0]}" max="{LATITUDE_BOUNDS[1]}"'
        in html
    )
    assert (
        f'name="longitude" step="0.000001" min="{LONGITUDE_BOUNDS[0]}" '
        f'max="{LONGITUDE_BOUNDS[1]}"' in html
    )


def test_a_point_outside_dki_jakarta_is_refused(client, rw_kenari_001, cycle, betonisasi):
    client.force_login(rw_kenari_001)
    response = client.post(
        reverse("proposals:create"),
        {
            "title": "Betonisasi Gang Kenari II",
            "catalogue_item": betonisasi.pk,
            "problem": "Jalan berlubang.",
            "address": "Jl. Kenari II",
            "rt": "3",
            "latitude": "-6.9",  # Bandung's latitude
            "longitude": "106.846789",
            "volume": "40",
            "beneficiaries": "100",
        },
    )
    assert response.status_code == 200
    assert "Lintang di luar wilayah DKI Jakarta" in response.content.decode()
    assert not cycle.proposals.exists()
