"""The proposals table's columns per role, the chooser that remembers them per user, and the
count and page count every paged list shows (counted once, up to a cap)."""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from areas.models import User
from notices.services import notify
from proposals import tables
from proposals.models import Status
from tests.proposal_fixtures import make_proposal

LIST = reverse("proposals:list")
COLUMNS = reverse("proposals:columns")
EVERY_COLUMN = [
    "Kode",
    "Judul",
    "Kategori",
    "Kecamatan",
    "Kelurahan",
    "RW",
    "Item kamus",
    "Volume",
    "Satuan",
    "Biaya (Rp)",
    "UKPD",
    "Status",
    "Sumber",
    "Rekomendasi survei",
]


def shown(response) -> list[str]:
    return [column.name for column in response.context["table"].columns if column.name != "select"]


@pytest.fixture
def some(cycle, rw_kenari, rw_paseban, betonisasi, tenda, superuser):
    """Three proposals in Kenari, two accepted in Paseban."""
    for _ in range(3):
        make_proposal(cycle, rw_kenari[0], betonisasi, superuser)
    for _ in range(2):
        make_proposal(cycle, rw_paseban, tenda, superuser, status=Status.ACCEPTED)


@pytest.mark.parametrize(
    ("user", "columns"),
    [
        ("rw_kenari_001", ["code", "title", "status"]),
        ("lurah_kenari", ["code", "title", "category", "rw", "cost", "target_unit", "status"]),
        (
            "camat_senen",
            ["code", "title", "category", "kelurahan", "rw", "cost", "target_unit", "status"],
        ),
        (
            "ukpd_binamarga",
            ["code", "title", "kelurahan", "rw", "volume", "measure", "status", "recommendation"],
        ),
        *[
            (
                user,
                [
                    "code",
                    "title",
                    "category",
                    "kecamatan",
                    "kelurahan",
                    "cost",
                    "target_unit",
                    "status",
                    "source",
                ],
            )
            for user in ("suban", "dewan", "superuser")
        ],
    ],
)
def test_each_role_sees_the_columns_it_works_with(client, request, some, user, columns):
    client.force_login(request.getfixturevalue(user))
    assert shown(client.get(LIST)) == columns


def test_the_chosen_columns_are_remembered_and_the_list_comes_back_as_it_was(
    client, lurah_kenari, some
):
    client.force_login(lurah_kenari)
    back = f"{LIST}?status=submitted&sort=-cost&page=1"
    response = client.post(
        COLUMNS, {"kolom": ["volume", "kecamatan", "bogus", "select"], "next": back}
    )
    assert response.status_code == 302 and response.url == back
    # Unknown names are dropped; code, title and status are always kept.
    expected = ["code", "title", "kecamatan", "volume", "status"]
    assert User.objects.get(pk=lurah_kenari.pk).table_columns == {"usulan": expected}
    assert shown(client.get(back)) == expected


def test_resetting_goes_back_to_the_roles_columns(client, lurah_kenari, some):
    client.force_login(lurah_kenari)
    client.post(COLUMNS, {"kolom": ["volume"]})
    response = client.post(COLUMNS, {"kolom": ["volume"], "action": "reset", "next": LIST})
    assert response.url == LIST
    assert User.objects.get(pk=lurah_kenari.pk).table_columns == {}
    assert shown(client.get(LIST)) == list(tables.ROLE_COLUMNS["lurah"])


def test_the_survey_queue_shows_the_chosen_columns_it_has(client, ukpd_binamarga, some):
    """The queue leaves out the category and unit columns, whatever was chosen."""
    client.force_login(ukpd_binamarga)
    client.post(COLUMNS, {"kolom": ["category", "target_unit", "cost"]})
    response = client.get(reverse("proposals:survey_queue"))
    assert shown(response) == ["code", "title", "cost", "status"]
    offered = [choice["name"] for choice in response.context["column_choices"]]
    assert "category" not in offered and "target_unit" not in offered


@pytest.mark.parametrize(
    "back", ["https://contoh.invalid/usulan/", "//contoh.invalid/", "javascript:alert(1)", ""]
)
def test_the_chooser_goes_back_only_to_this_site(client, rw_kenari_001, back):
    client.force_login(rw_kenari_001)
    response = client.post(COLUMNS, {"kolom": ["rw"], "next": back})
    assert response.status_code == 302 and response.url == LIST


def test_the_chooser_only_takes_a_post_from_a_signed_in_user(client, rw_kenari_001):
    assert client.get(COLUMNS).status_code == 405
    assert client.post(COLUMNS).url.startswith(reverse("login"))
    client.force_login(rw_kenari_001)
    assert client.get(COLUMNS).status_code == 405


def test_saving_the_columns_takes_a_fixed_number_of_queries(
    client, suban, some, django_assert_max_num_queries
):
    client.force_login(suban)
    with django_assert_max_num_queries(6):
        client.post(COLUMNS, {"kolom": tables.CHOOSABLE, "next": LIST})


def grow(cycle, rw_kenari, betonisasi, tenda, superuser, n):
    for i in range(n):
        make_proposal(cycle, rw_kenari[i % 2], betonisasi if i % 3 else tenda, superuser)


@pytest.mark.parametrize(
    "choice",
    [
        None,  # the role's
        ["code"],
        list(tables.CHOOSABLE),
        ["kecamatan", "kelurahan", "rw", "catalogue_item", "target_unit"],  # every name looked up
        ["recommendation", "volume", "measure"],
    ],
)
@pytest.mark.parametrize("params", [{}, {"page": 2, "sort": "-cost"}])
def test_the_tables_queries_do_not_change_with_the_columns_or_the_rows(
    client, suban, cycle, rw_kenari, betonisasi, tenda, superuser, choice, params
):
    client.force_login(suban)
    grow(cycle, rw_kenari, betonisasi, tenda, superuser, 56)

    def count(columns) -> int:
        client.post(COLUMNS, {"kolom": columns} if columns else {"action": "reset"})
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST, params).status_code == 200
        return len(captured)

    by_role = count(None)
    assert count(choice) == by_role
    grow(cycle, rw_kenari, betonisasi, tenda, superuser, 60)
    assert count(choice) == by_role <= 11


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_the_export_has_every_column_whatever_was_chosen(client, lurah_kenari, some, export):
    client.force_login(lurah_kenari)
    client.post(COLUMNS, {"kolom": ["code"]})
    response = client.get(LIST, {"_export": export})
    if export == "csv":
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    else:
        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        header = [cell.value for cell in sheet[1]]
    assert header == EVERY_COLUMN


def test_cells_carry_their_column_name_for_the_cards(client, lurah_kenari, some):
    client.force_login(lurah_kenari)
    page = client.get(LIST).content.decode()
    assert 'class="table table-sm table-hover align-middle table-proposals table-cards"' in page
    assert '<td class="cell-status" data-label="Status"><span class="badge' in page
    assert '<td class="nowrap" data-label="RW">' in page
    assert 'data-label="Kode"' not in page  # the code and title head the card


def test_the_list_says_how_many_and_how_many_pages(client, suban, cycle, rw_kenari, tenda):
    grow(cycle, rw_kenari, tenda, tenda, suban, 12)
    client.force_login(suban)
    page = client.get(LIST, {"per_page": 5}).content.decode()
    assert "12 usulan" in page and "Halaman 1 dari 3" in page
    page = client.get(LIST, {"per_page": 5, "page": 3}).content.decode()
    assert "12 usulan" in page and "Halaman 3 dari 3" in page
    page = client.get(LIST, {"per_page": 50}).content.decode()
    assert "12 usulan" in page and "Halaman" not in page  # one page: no pager


def test_past_the_cap_the_list_says_more_than(client, suban, cycle, rw_kenari, tenda, monkeypatch):
    monkeypatch.setattr(tables, "COUNT_CAP", 5)
    grow(cycle, rw_kenari, tenda, tenda, suban, 12)
    client.force_login(suban)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(LIST, {"per_page": 5}).content.decode()
    assert "lebih dari 10 usulan" in page and "Halaman 1 dari 2+" in page
    counts = [
        q["sql"] for q in captured if "COUNT(" in q["sql"] and "proposals_proposal" in q["sql"]
    ]
    assert len(counts) == 1 and "LIMIT 11" in counts[0]  # one query, bounded
    # The last page knows the whole count again.
    page = client.get(LIST, {"per_page": 5, "page": 3}).content.decode()
    assert "12 usulan" in page and "Halaman 3 dari 3" in page


def test_a_list_that_fits_one_page_is_counted_too(client, suban, some):
    """The same one query however many rows, so the page's queries do not change as it grows."""
    client.force_login(suban)
    with CaptureQueriesContext(connection) as captured:
        assert "5 usulan" in client.get(LIST).content.decode()
    assert len([q for q in captured if "COUNT(" in q["sql"] and "LIMIT 10001" in q["sql"]]) == 1


@pytest.mark.parametrize(("language", "count"), [("id", "1.451"), ("en", "1,451")])
def test_counts_are_written_the_way_the_language_writes_numbers(language, count):
    """Django's own Paginator (the notices, the tracker) goes through the same pager."""
    page = Paginator(range(1451), 50).page(1)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with translation.override(language):
        html = render_to_string("_pager.html", {"page": page}, request)
    assert f"{count} " in html and " 30<" in html


def test_the_pages_using_the_pager_still_show(
    client, suban, ukpd_binamarga, rw_kenari_001, accepted_kenari
):
    notify([suban], kind="test", subject="Uji", text="Uji")
    client.force_login(suban)
    assert "0 hasil" in client.get(reverse("sessions:list")).content.decode()
    assert "1 hasil" in client.get(reverse("notices:inbox")).content.decode()
    client.force_login(ukpd_binamarga)
    response = client.get(reverse("proposals:survey_queue"))
    assert response.status_code == 200 and "usulan" in response.content.decode()
