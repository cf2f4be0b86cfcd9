"""The sessions list's area filters: kecamatan and kelurahan beside kind and status, their choices
the user's reach, the kelurahan following the kecamatan, and a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import Area
from areas.services import rw_ensure
from sessions.models import Kind
from tests.session_fixtures import held, schedule

LIST = reverse("sessions:list")


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {str(row.record) for row in response.context["table"].paginated_rows}


def choices(response, name: str) -> list[str]:
    """The labels a filter offers, besides "all"."""
    return [label for value, label in response.context["filter_form"].fields[name].choices if value]


@pytest.fixture
def spread(cycle, senen, gambir, kenari, paseban, rw_kenari):
    """Sessions at every level of two kecamatan: Senen's musrenbang kecamatan, the sidang
    kelompok of Kenari and Paseban, a rembuk RW in Kenari; Gambir's pleno and one of its
    kelurahan's sidang kelompok."""
    gambir_kelurahan = Area.objects.kelurahan().filter(parent=gambir).order_by("code").first()
    return {
        "senen": schedule(cycle, Kind.KECAMATAN, senen),
        "kenari": schedule(cycle, Kind.KELOMPOK, kenari, state="in_progress"),
        "paseban": schedule(cycle, Kind.KELOMPOK, paseban),
        "rw": held(cycle, Kind.REMBUK_RW, rw_kenari[0]),
        "gambir": schedule(cycle, Kind.PLENO_PEMBUKA, gambir),
        "gambir_kelurahan": schedule(cycle, Kind.KELOMPOK, gambir_kelurahan),
    }


def names(spread, *keys) -> set[str]:
    return {str(spread[key]) for key in keys}


def test_a_kecamatan_holds_its_own_its_kelurahan_and_its_rw_sessions(client, suban, spread, senen):
    client.force_login(suban)
    response = client.get(LIST, {"kecamatan": senen.pk})
    assert listed(response) == names(spread, "senen", "kenari", "paseban", "rw")


def test_a_kelurahan_holds_its_own_and_its_rw_sessions(client, suban, spread, senen, kenari):
    client.force_login(suban)
    response = client.get(LIST, {"kecamatan": senen.pk, "kelurahan": kenari.pk})
    assert listed(response) == names(spread, "kenari", "rw")


def test_a_kelurahan_named_in_the_address_bar_filters_on_its_own(client, suban, spread, paseban):
    client.force_login(suban)
    assert listed(client.get(LIST, {"kelurahan": paseban.pk})) == names(spread, "paseban")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "kelompok", "kecamatan": "senen"}, ["kenari", "paseban"]),
        ({"state": "scheduled", "kecamatan": "senen"}, ["senen", "paseban"]),
        ({"kind": "rembuk_rw", "kelurahan": "kenari"}, ["rw"]),
        ({"state": "closed", "kecamatan": "gambir"}, []),
    ],
)
def test_the_area_filters_go_with_kind_and_status(client, suban, spread, request, params, expected):
    params = {
        k: request.getfixturevalue(v).pk if k in ("kecamatan", "kelurahan") else v
        for k, v in params.items()
    }
    client.force_login(suban)
    assert listed(client.get(LIST, params)) == names(spread, *expected)


@pytest.mark.parametrize(
    "params",
    [
        {"kecamatan": "999999"},
        {"kecamatan": "senen"},
        {"kelurahan": "x' OR 1=1"},
        {"kelurahan": "999999"},
        {"kecamatan": "", "kelurahan": ""},
    ],
)
def test_an_unknown_area_filters_nothing(client, suban, spread, params):
    client.force_login(suban)
    assert listed(client.get(LIST, params)) == names(spread, *spread)


def test_the_kelurahan_follow_the_kecamatan(client, suban, spread, senen):
    client.force_login(suban)
    response = client.get(LIST)
    assert len(choices(response, "kecamatan")) == 8  # Jakarta Pusat's, not the province's
    assert choices(response, "kelurahan") == []  # none until a kecamatan is chosen
    response = client.get(LIST, {"kecamatan": senen.pk})
    offered = choices(response, "kelurahan")
    assert {"Kenari", "Paseban"} <= set(offered)
    assert len(offered) == Area.objects.kelurahan().filter(parent=senen).count()


def test_a_camat_chooses_among_the_kelurahan_of_the_kecamatan(
    client, camat_senen, spread, senen, gambir, kenari
):
    client.force_login(camat_senen)
    response = client.get(LIST)
    assert choices(response, "kecamatan") == ["Senen"]
    assert "Kenari" in choices(response, "kelurahan")
    assert listed(response) == names(spread, "senen", "kenari", "paseban", "rw")
    assert listed(client.get(LIST, {"kelurahan": kenari.pk})) == names(spread, "kenari", "rw")


def test_another_areas_sessions_never_appear(client, camat_senen, spread, gambir):
    """Gambir is outside the camat's reach: choosing it is an unknown value."""
    client.force_login(camat_senen)
    gambir_kelurahan = spread["gambir_kelurahan"].area
    for params in ({"kecamatan": gambir.pk}, {"kelurahan": gambir_kelurahan.pk}):
        response = client.get(LIST, params)
        assert listed(response) == names(spread, "senen", "kenari", "paseban", "rw")
        assert "Gambir" not in choices(response, "kecamatan")


def test_a_lurah_is_offered_no_area_filter(client, lurah_kenari, spread):
    client.force_login(lurah_kenari)
    response = client.get(LIST)
    assert not {"kecamatan", "kelurahan"} & set(response.context["filter_form"].fields)
    assert listed(response) == names(spread, "kenari", "rw")


def test_the_filters_are_on_the_page(client, suban, spread, senen):
    client.force_login(suban)
    page = client.get(LIST, {"kecamatan": senen.pk}).content.decode()
    for name in ("kind", "kecamatan", "kelurahan", "state"):
        assert f'name="{name}"' in page
    assert f'<option value="{senen.pk}" selected>Senen</option>' in page
    assert "js/app.js" in page  # choosing a kecamatan reloads its kelurahan


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kecamatan": "senen"},
        {"kecamatan": "senen", "kelurahan": "kenari", "kind": "rembuk_rw"},
    ],
)
def test_list_queries_do_not_grow_with_the_sessions(client, suban, cycle, senen, kenari, params):
    params = {k: {"senen": senen.pk, "kenari": kenari.pk}.get(v, v) for k, v in params.items()}
    rws = rw_ensure(kelurahan=kenari, count=30)
    client.force_login(suban)
    for rw in rws[:3]:
        schedule(cycle, Kind.REMBUK_RW, rw)
    with CaptureQueriesContext(connection) as small:
        assert len(listed(client.get(LIST, params))) == 3
    for rw in rws[3:]:
        schedule(cycle, Kind.REMBUK_RW, rw)
    with CaptureQueriesContext(connection) as large:
        assert len(listed(client.get(LIST, params))) == 30
    assert len(large) == len(small) <= 11
