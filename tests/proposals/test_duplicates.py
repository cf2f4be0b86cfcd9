"""Duplicates: a proposal like one already in this cycle or the last ones warns the RW and the
lurah, on PostgreSQL (trigram similarity) and on SQLite (shared words) alike."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals.carry import cycle_open_next
from proposals.duplicates import Subject, similar_proposals
from proposals.models import Proposal, Status
from tests.proposal_fixtures import make_proposal, open_cycle
from tests.proposals.test_views import form_data

TODAY = timezone.localdate()


@pytest.fixture
def road_001(cycle, rw_kenari, betonisasi, rw_kenari_001):
    """RW 001 Kenari's road, "Betonisasi jalan lingkungan di RW 001 Kenari"."""
    return make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001)


def subject(cycle, rw, title, item=None) -> Subject:
    return Subject(cycle=cycle, rw=rw, title=title, catalogue_item_id=item.pk if item else None)


def test_the_same_rw_and_catalogue_item_is_similar_whatever_the_title(
    cycle, rw_kenari, betonisasi, rw_kenari_001, road_001
):
    entered = subject(cycle, rw_kenari[0], "Pengecoran gang buntu", betonisasi)
    assert similar_proposals(entered, rw_kenari_001) == [road_001]


def test_a_similar_title_in_the_kelurahan_is_similar(
    cycle, rw_kenari, tenda, lurah_kenari, road_001
):
    entered = subject(cycle, rw_kenari[1], "Betonisasi jalan lingkungan RW 002 Kenari", tenda)
    assert similar_proposals(entered, lurah_kenari) == [road_001]


def test_a_different_title_is_not_similar(cycle, rw_kenari, tenda, lurah_kenari, road_001):
    entered = subject(cycle, rw_kenari[1], "Pengadaan tenda serbaguna untuk posyandu", tenda)
    assert similar_proposals(entered, lurah_kenari) == []


def test_another_kelurahan_is_not_compared(cycle, rw_paseban, tenda, superuser, road_001):
    entered = subject(cycle, rw_paseban, road_001.title, tenda)
    assert similar_proposals(entered, superuser) == []


def test_the_last_cycles_are_compared_and_older_ones_not(
    kota_jp, rw_kenari, betonisasi, rw_kenari_001, lurah_kenari
):
    old = open_cycle(kota_jp, "JP21", year=2021)
    last = open_cycle(kota_jp, "JP23", year=2023)
    now = open_cycle(kota_jp, "JP24", year=2024)
    make_proposal(old, rw_kenari[0], betonisasi, rw_kenari_001)
    recent = make_proposal(last, rw_kenari[0], betonisasi, rw_kenari_001)
    entered = subject(now, rw_kenari[1], recent.title)
    assert similar_proposals(entered, lurah_kenari) == [recent]


def test_a_proposal_is_not_like_itself_nor_its_carry_chain(
    cycle, rw_kenari, betonisasi, rw_kenari_001, suban
):
    original = make_proposal(
        cycle, rw_kenari[0], betonisasi, rw_kenari_001, status=Status.KELURAHAN_RESERVE
    )
    new = cycle_open_next(
        previous=cycle,
        year=2025,
        code_prefix="JP25",
        rw_opens=TODAY,
        rw_closes=TODAY + datetime.timedelta(days=5),
        by=suban,
    )
    copy = new.proposals.select_related("cycle", "rw").get()
    assert similar_proposals(copy, rw_kenari_001) == []
    assert similar_proposals(original, rw_kenari_001) == []


def test_only_proposals_the_user_sees_are_linked(
    cycle, rw_kenari, betonisasi, rw_kenari_001, lurah_kenari
):
    draft = make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001, status=Status.DRAFT)
    entered = subject(cycle, rw_kenari[0], draft.title, betonisasi)
    assert similar_proposals(entered, rw_kenari_001) == [draft]
    assert similar_proposals(entered, lurah_kenari) == []


def test_the_comparison_costs_two_queries(
    cycle, rw_kenari, betonisasi, rw_kenari_001, lurah_kenari, django_assert_num_queries
):
    for _ in range(20):
        make_proposal(cycle, rw_kenari[1], betonisasi, rw_kenari_001)
    entered = subject(cycle, rw_kenari[0], "Betonisasi jalan lingkungan di RW 001 Kenari")
    lurah_kenari.assignments.count()  # the user's reach is read once per request elsewhere
    similar_proposals(entered, lurah_kenari)  # the reach, read once
    with django_assert_num_queries(2):
        assert len(similar_proposals(entered, lurah_kenari)) == 10


# -- The form warns, and saves when asked again ---------------------------------------------


def test_the_form_warns_and_saves_only_when_asked_again(
    client, rw_kenari_001, cycle, betonisasi, road_001
):
    client.force_login(rw_kenari_001)
    data = form_data(betonisasi, title="Betonisasi jalan lingkungan RW 001")
    response = client.post(reverse("proposals:create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "mirip dengan usulan yang sudah ada" in page
    assert f'href="{road_001.get_absolute_url()}">{road_001.code}</a>' in page
    assert "Tetap simpan" in page
    assert Proposal.objects.count() == 1
    response = client.post(reverse("proposals:create"), {**data, "tetap_simpan": "1"})
    assert response.status_code == 302
    assert Proposal.objects.count() == 2


def test_a_proposal_unlike_any_other_is_saved_at_once(
    client, rw_kenari_001, cycle, tenda, road_001
):
    client.force_login(rw_kenari_001)
    data = form_data(tenda, title="Tenda untuk posyandu mawar")
    assert client.post(reverse("proposals:create"), data).status_code == 302


# -- The detail page shows them to the RW and the lurah ---------------------------------------


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("rw_kenari_001", True),
        ("lurah_kenari", True),
        ("camat_senen", False),
        ("suban", False),
    ],
)
def test_the_detail_shows_similar_proposals_to_the_rw_and_the_lurah(
    request, client, cycle, rw_kenari, betonisasi, rw_kenari_001, road_001, who, shown
):
    twin = make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001, title="Betonisasi gang")
    client.force_login(request.getfixturevalue(who))
    page = client.get(twin.get_absolute_url()).content.decode()
    assert ("Mirip dengan:" in page) is shown
    assert (f'href="{road_001.get_absolute_url()}"' in page) is shown


@pytest.mark.parametrize("n", [2, 12])
def test_the_detail_costs_the_same_with_more_similar_proposals(
    client,
    cycle,
    rw_kenari,
    betonisasi,
    rw_kenari_001,
    lurah_kenari,
    n,
    django_assert_max_num_queries,
):
    proposals = [make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001) for _ in range(n)]
    client.force_login(lurah_kenari)
    with django_assert_max_num_queries(24):
        assert client.get(proposals[0].get_absolute_url()).status_code == 200
