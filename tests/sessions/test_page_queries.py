"""The benchmarked session pages — the ranking page, the closing confirmation and the berita
acara — read the same few queries whatever the size of the table and the attendance; so does
the musrenbang kecamatan's ranking, with its candidates' kelurahan ranks and surveys."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import Area
from tests.session_fixtures import attend
from tests.sessions.test_ranking_queries import sidang_with
from tests.sessions.test_ranking_views import musrenbang_with


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def two_sizes(cycle, kenari, paseban, rw_kenari, rw_paseban, betonisasi, superuser):
    small = sidang_with(cycle, paseban, [rw_paseban], betonisasi, superuser, 3)
    attend(small, 2)
    large = sidang_with(cycle, kenari, rw_kenari, betonisasi, superuser, 30)
    attend(large, 60, delegates=6)
    return small, large


@pytest.mark.parametrize("page", ["sessions:ranking", "sessions:minutes_pdf", "sessions:close"])
def test_session_page_queries_do_not_grow(client, superuser, two_sizes, page):
    client.force_login(superuser)
    small, large = (reverse(page, args=[sidang.pk]) for sidang in two_sizes)
    queries(client, small)  # a first request may fill caches (the criteria, the letterhead)
    assert queries(client, small) == queries(client, large) <= 10


@pytest.fixture
def two_kecamatan(cycle, kenari, paseban, gambir, betonisasi, superuser, ukpd_binamarga):
    """Senen's musrenbang kecamatan with 3 candidates, Gambir's with 30, half of them surveyed,
    each ranked first by its sidang kelompok."""
    small = musrenbang_with(cycle, [kenari, paseban], 3, betonisasi, superuser, ukpd_binamarga)
    gambir_kelurahan = list(Area.objects.kelurahan().filter(parent=gambir).order_by("code")[:3])
    large = musrenbang_with(cycle, gambir_kelurahan, 30, betonisasi, superuser, ukpd_binamarga)
    assert large.candidates.count() == 30
    assert large.candidates.filter(proposal__survey__isnull=False).count() == 15
    return small, large


@pytest.mark.parametrize("page", ["sessions:ranking", "sessions:minutes_pdf"])
def test_the_musrenbang_kecamatan_pages_queries_do_not_grow(client, superuser, two_kecamatan, page):
    """The ranking, and the berita acara whose lists carry each candidate's kelurahan and
    survey."""
    client.force_login(superuser)
    small, large = (reverse(page, args=[sidang.pk]) for sidang in two_kecamatan)
    queries(client, small)
    assert queries(client, small) == queries(client, large) <= 10
