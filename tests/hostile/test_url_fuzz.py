"""URL fuzz: every URL of the project, with hostile path segments and query values, answers
without a server error.

The URLs come from the URL configuration, walked as the permission matrix walks it, with the
matrix's real objects (tests/test_permission_matrix.py). Each is requested by a visitor and by
officials of four roles, by GET and by POST (the test client skips the CSRF check, so a POST
reaches the view): first as it is, noting which parameters the view reads, then with each of
those parameters (and one the view does not know) set to a hostile value: NUL always, two more
sampled, every one of NUMBERS for a page number. Views with more than a first screen (an RW's
list in the tracker, an export) are fuzzed there too, from a seed query; each path parameter is
replaced by a hostile segment. A PDF takes a second to draw, so it is fuzzed under one role.
Values are sampled with a seed per role: a run is repeatable and stays short. The admin's lists
get hostile searches, orders and page numbers. No answer may be a 500.
"""

import copy
import random
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from tests.test_permission_matrix import _args, places, project_urls

__all__ = ["places"]  # the matrix's objects, one inside the officials' area and one outside

# A sort by "../x" is ignored, with django-tables2's warning about the dot in it.
pytestmark = pytest.mark.filterwarnings("ignore:Use '__' to separate:DeprecationWarning")

ROLES = ["anonymous", "rw_kenari_001", "lurah_kenari", "ukpd_binamarga", "suban"]

NUL = "%00"  # tried on every parameter: PostgreSQL refuses it in any text, even to compare
# Query values as they appear in the address, percent-encoding included.
QUERY_VALUES = (
    NUL,
    "kenari%00x",
    "%01%02%1B",  # other control characters
    "%E0%A4%A",  # broken percent-encoding
    "%FF%FE%C0",  # bytes that are no UTF-8
    str(2**63),  # one past the largest 64-bit integer
    "1" + "0" * 30,
    "-1",
    "0",
    str(-(2**63) - 1),
    "x" * 10_000,
    "1e400",
    "NaN",
    "%201%20",
    quote("Ŝúbän 𝔘 \u202e\ufeff"),
    "..%2F..%2Fetc%2Fpasswd",
    "%3Cscript%3E",
)
# Page numbers and sizes get every one of these on every paginated list.
NUMBERS = ("abc", "-1", "0", str(2**63), "1" + "0" * 30, str(-(2**63) - 1), "1.5", NUL)
PAGING = {"page", "per_page"}
# Parameters some view reads: one of them, repeated, on every URL.
KNOWN = (
    "page",
    "sort",
    "_export",
    "q",
    "kecamatan",
    "kelurahan",
    "status",
    "source",
    "fokus",
    "tampil",
)
EXPORTS = ("xlsx", "csv", "foo", "json")
UNKNOWN = "zzz"
# Path segments where the URL has a parameter, as they appear in the address.
SEGMENTS = (
    NUL,
    "1%002",
    "%E0%A4%A",
    str(2**63),
    "1" + "0" * 30,
    "-1",
    "0",
    "x" * 10_000,
    quote("Ŝúbän𝔘\u202e"),
    "..%2F..",
    "..",
    "%20",
    "1.5",
)
SENTINEL = 918_273_645  # stands in for a path parameter until a segment replaces it
SAMPLE = 2  # hostile values per parameter besides NUL, per role, URL and method

PRINTED: set[tuple[str, str]] = set()  # (URL name, method) that answered with a PDF
FUZZED = {"requests": 0, "server_errors": 0}  # reported at the end of the run (tests/conftest.py)


@contextmanager
def reads(names: set[str]) -> Iterator[None]:
    """Note the name of every parameter the request's query or form data is asked for."""

    def noting(method):
        def read(self, key, *args, **kwargs):
            names.add(key)
            return method(self, key, *args, **kwargs)

        return read

    with (
        mock.patch.object(QueryDict, "__getitem__", noting(QueryDict.__getitem__)),
        mock.patch.object(QueryDict, "get", noting(QueryDict.get)),
        mock.patch.object(QueryDict, "getlist", noting(QueryDict.getlist)),
        mock.patch.object(QueryDict, "__contains__", noting(QueryDict.__contains__)),
    ):
        yield


class Fuzzer:
    """One client's walk: its requests, and the server errors it met."""

    def __init__(self, client: Client, role: str):
        self.client, self.role = client, role
        self.random = random.Random(f"url-fuzz-{role}")
        self.errors: list[str] = []

    def request(self, method: str, url: str, query: str = "") -> int:
        """One request, its writes rolled back and the client's cookies kept (a sign-out must
        not sign out the rest of the run)."""
        FUZZED["requests"] += 1
        cookies = copy.deepcopy(self.client.cookies)
        address = f"{url}?{query}" if query else url
        with transaction.atomic():
            if method == "post":
                response = self.client.post(
                    address, query, content_type="application/x-www-form-urlencoded"
                )
            else:
                response = self.client.get(address)
            transaction.set_rollback(True)
        self.client.cookies = cookies
        self.response = response
        if response.status_code >= 500:
            FUZZED["server_errors"] += 1
            shown = address if len(address) < 200 else address[:200] + "…"
            self.errors.append(f"{self.role} {method.upper()} {shown}: {response.status_code}")
        return response.status_code

    def sample(self, values: tuple, count: int = SAMPLE) -> list:
        return self.random.sample(values, count)

    def queries(self, names: set[str], seed: dict[str, str]) -> Iterator[str]:
        """Each parameter the view read with sampled hostile values (a page number with every
        one of NUMBERS), one parameter at a time; an unknown parameter; a known one repeated;
        an export in every format, sorted by a hostile column. Past a seed, fewer values."""
        count = SAMPLE - 1 if seed else SAMPLE
        for name in sorted(names):
            if name in PAGING:
                values = self.sample(NUMBERS, count + 1) if seed else NUMBERS
            else:
                values = [NUL, *self.sample(QUERY_VALUES[1:], count)]
            for value in values:
                yield _query(seed, f"{quote(name)}={value}", without=name)
        yield _query(seed, f"{UNKNOWN}={self.sample(QUERY_VALUES, 1)[0]}")
        name = self.sample(KNOWN, 1)[0]
        yield _query(seed, f"{name}=1&{name}={self.sample(QUERY_VALUES, 1)[0]}", without=name)
        if "_export" in names:
            for export in EXPORTS:
                hostile = f"_export={export}&sort={self.sample(QUERY_VALUES, 1)[0]}"
                yield _query(seed, hostile, without="_export")

    def url(self, name: str, params: list[str], objects: dict) -> None:
        args = _args(name, params, objects)
        plain = reverse(name, args=args)
        for method in ("get", "post"):
            self.fuzz(name, method, plain, {})
        for seed in seeds(name, objects):
            self.fuzz(name, "get", plain, seed)
        for index, _param in enumerate(params):
            template = reverse(name, args=[*args[:index], SENTINEL, *args[index + 1 :]])
            for segment in [NUL, *self.sample(SEGMENTS[1:])]:
                self.request("get", template.replace(str(SENTINEL), segment))

    def fuzz(self, name: str, method: str, url: str, seed: dict[str, str]) -> None:
        """The URL as it is (with the seed's parameters), noting what the view reads; then with
        each of those read made hostile."""
        if (name, method) in PRINTED:
            # A PDF costs a second to draw: it was fuzzed once, under one role.
            self.request(method, url, _query(seed, f"{UNKNOWN}={NUL}"))
            return
        names: set[str] = set()
        with reads(names):
            status = self.request(method, url, _query(seed))
        if self.response["Content-Type"] == "application/pdf":
            PRINTED.add((name, method))
            for read in sorted(names):
                hostile = f"{quote(read)}={self.sample(QUERY_VALUES, 1)[0]}"
                self.request(method, url, _query(seed, hostile, without=read))
        elif status == 405 or (status == 302 and not names):
            # Turned away before the view: one hostile value tells the same for them all.
            self.request(method, url, _query(seed, f"{UNKNOWN}={self.sample(QUERY_VALUES, 1)[0]}"))
        else:
            for query in self.queries(names, seed):
                self.request(method, url, query)


def _query(seed: dict[str, str], hostile: str = "", *, without: str = "") -> str:
    return "&".join(
        [f"{name}={value}" for name, value in seed.items() if name != without]
        + ([hostile] if hostile else [])
    )


def seeds(name: str, objects: dict) -> list[dict[str, str]]:
    """Queries that take a view past its first screen, so that what it reads there is fuzzed
    too: an RW's list in the tracker, one kecamatan's recap, filtered and exported tables."""
    proposal = objects["proposal"]
    areas = {
        "kecamatan": str(proposal.kecamatan_id),
        "kelurahan": str(proposal.kelurahan_id),
        "rw": str(proposal.rw_id),
    }
    return {
        "tracker": [areas],
        "recap": [{"kecamatan": proposal.kecamatan.code}],
        "recap_xlsx": [{"kecamatan": proposal.kecamatan.code}],
        "proposals:list": [areas, {"_export": "xlsx"}],
        "proposals:survey_queue": [{"tampil": "selesai"}, {"_export": "csv"}],
        "sessions:attendance": [{"unsur": "ketua_rw", "kehadiran": "luring"}],
    }.get(name, [])


@pytest.fixture
def fuzz_client(request):
    def client_for(role: str) -> Client:
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return client_for


@pytest.mark.parametrize("role", ROLES)
def test_no_address_makes_a_server_error(fuzz_client, places, role):
    fuzzer = Fuzzer(fuzz_client(role), role)
    for name, params in sorted(project_urls().items()):
        fuzzer.url(name, params, places["in"])
    assert not fuzzer.errors, "\n".join(fuzzer.errors)


def test_the_admin_lists_take_hostile_queries(fuzz_client, places):
    """The admin is not in the walk: its lists, with hostile search, page, order and filter."""
    fuzzer = Fuzzer(fuzz_client("suban"), "suban")
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for name in ("q", "o", UNKNOWN):
            for value in [NUL, *fuzzer.sample(QUERY_VALUES[1:], 1)]:
                fuzzer.request("get", url, f"{name}={value}")
        for value in NUMBERS:
            fuzzer.request("get", url, f"p={value}")
    assert not fuzzer.errors, "\n".join(fuzzer.errors)


# -- What the fuzz found, one by one ------------------------------------------------------------


def test_a_nul_in_a_path_is_404_before_the_view(client, db, django_assert_num_queries):
    for path in ("/verifikasi/%00/", "/lacak/JP24%0000001/", "/usulan/%00/", "/rekap/\x00"):
        with django_assert_num_queries(0):
            response = client.get(path)
        assert response.status_code == 404, path
        assert "Halaman tidak ditemukan" in response.content.decode()


def test_a_nul_in_a_query_is_a_clear_400_before_the_view(client, suban, proposal_kenari):
    for url, query in (
        (reverse("tracker"), {"kode": "JP24\x0000001"}),
        (reverse("recap"), {"siklus": "\x00"}),
    ):
        assert client.get(url, query).status_code == 400
    client.force_login(suban)
    for query in ({"q": "\x00"}, {"page": "1\x00"}, {"\x00": "1"}, {"q": "\x1b[2J"}):
        response = client.get(reverse("proposals:list"), query)
        assert response.status_code == 400, query
        assert "Alamat tidak sah" in response.content.decode()


def test_a_tab_pasted_into_a_search_is_searched(client, suban, proposal_kenari):
    client.force_login(suban)
    assert client.get(reverse("proposals:list"), {"q": "a\tb"}).status_code == 200


def test_a_code_that_cannot_be_one_is_404_without_a_lookup(
    client, django_assert_num_queries, places
):
    for code in ("x" * 13, "UJI-000", "ÜJI000003", "%E0%A4%A"):
        with django_assert_num_queries(0):
            assert client.get(f"/verifikasi/{code}/").status_code == 404, code
    code = places["in"]["minutes"].code
    assert client.get(reverse("sessions:verify", args=[f" {code.lower()} "])).status_code == 200


HUGE_PAGES = [str(2**63), "1" + "0" * 30, "-1", "0", "-9223372036854775809", "abc"]


@pytest.mark.parametrize("page", HUGE_PAGES)
def test_a_page_number_past_any_list_shows_the_first_page(
    client, suban, ukpd_binamarga, kelompok_kenari, page
):
    """The proposals table, the sessions list and the survey queue."""
    client.force_login(suban)
    for name in ("proposals:list", "sessions:list"):
        response = client.get(reverse(name), {"page": page})
        assert response.status_code == 200, name
        assert response.context["table"].page.number == 1
    client.force_login(ukpd_binamarga)
    response = client.get(reverse("proposals:survey_queue"), {"page": page, "tampil": "selesai"})
    assert response.status_code == 200
    assert response.context["table"].page.number == 1


@pytest.mark.parametrize("page", HUGE_PAGES)
def test_a_page_number_past_the_tracker_list_shows_a_page(client, proposal_kenari, page):
    query = {
        "kecamatan": proposal_kenari.kecamatan_id,
        "kelurahan": proposal_kenari.kelurahan_id,
        "rw": proposal_kenari.rw_id,
        "page": page,
    }
    response = client.get(reverse("tracker"), query)
    assert response.status_code == 200
    assert list(response.context["proposals"]) == [proposal_kenari]


@pytest.mark.parametrize("per_page", [str(2**63), "1" + "0" * 30, "-5", "0", "1000"])
def test_a_page_size_from_the_address_stays_within_100(client, suban, accepted_kenari, per_page):
    client.force_login(suban)
    response = client.get(reverse("proposals:list"), {"per_page": per_page})
    assert response.status_code == 200
    assert 1 <= response.context["table"].paginator.per_page <= 100


def test_attendance_ticks_past_any_id_are_refused_with_a_message(
    client, lurah_kenari, kelompok_kenari
):
    client.force_login(lurah_kenari)
    url = reverse("sessions:participants_present", args=[kelompok_kenari.pk])
    response = client.post(url, {"present": "1" + "0" * 30, "listed": "1"}, follow=True)
    assert response.status_code == 200
    assert "pilihan peserta tidak sah" in response.content.decode()


def test_a_query_of_too_many_fields_is_a_400(client, db):
    response = client.get("/lacak/?" + "&".join(f"x{n}=1" for n in range(1_001)))
    assert response.status_code == 400
    assert "Alamat tidak sah" in response.content.decode()
