"""Carry-over pages: the planning office opens the next cycle, the RW answers for its carried
proposals, and both journeys show the link."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.models import Role
from musrenbang.public.recap import recap_for
from proposals.carry import cycle_open_next
from proposals.models import Cycle, Event, Proposal, Status
from tests.conftest import official
from tests.proposal_fixtures import make_proposal

TODAY = timezone.localdate()
CARRIED_URL = reverse("proposals:carried")
OPEN_URL = reverse("proposals:cycle_open")


def open_2025(cycle, by, **dates) -> Cycle:
    return cycle_open_next(
        previous=cycle,
        year=2025,
        code_prefix="JP25",
        rw_opens=dates.get("rw_opens", TODAY - datetime.timedelta(days=1)),
        rw_closes=dates.get("rw_closes", TODAY + datetime.timedelta(days=10)),
        by=by,
    )


def reserves(cycle, rws, item, creator, n: int) -> list[Proposal]:
    return [
        make_proposal(cycle, rws[i % len(rws)], item, creator, status=Status.KELURAHAN_RESERVE)
        for i in range(n)
    ]


@pytest.fixture
def carried(cycle, rw_kenari, betonisasi, rw_kenari_001, suban) -> Proposal:
    """A 2024 reserve of RW 001 Kenari, carried into musrenbang 2025."""
    original = reserves(cycle, rw_kenari[:1], betonisasi, rw_kenari_001, 1)[0]
    open_2025(cycle, suban)
    return Proposal.objects.select_related("carried_from").get(carried_from=original)


@pytest.fixture
def rw_paseban_001(rw_paseban):
    return official("rw.paseban.001", Role.RW, area=rw_paseban)


# -- The RW's confirmation page -----------------------------------------------------------------


def test_the_rw_sees_its_carried_proposals_with_their_first_year(client, rw_kenari_001, carried):
    client.force_login(rw_kenari_001)
    page = client.get(CARRIED_URL).content.decode()
    assert f"{carried.code}</a> · sejak 2024" in page
    assert f"Dibawa dari {carried.carried_from.code} (2024)" in page
    assert "Tetap diusulkan" in page and "Tarik" in page


def test_confirming_hands_the_proposal_to_the_lurah(client, rw_kenari_001, carried):
    client.force_login(rw_kenari_001)
    response = client.post(CARRIED_URL, {"action": "confirm", "proposal": carried.pk})
    assert response.status_code == 302
    carried.refresh_from_db()
    assert carried.status == Status.SUBMITTED
    assert "tetap diusulkan" in client.get(CARRIED_URL).content.decode()


def test_withdrawing_keeps_the_reason(client, rw_kenari_001, carried):
    client.force_login(rw_kenari_001)
    client.post(CARRIED_URL, {"action": "withdraw", "proposal": carried.pk, "reason": "Selesai."})
    carried.refresh_from_db()
    assert carried.status == Status.WITHDRAWN
    assert carried.events.get(action=Event.Action.WITHDRAWN).note == "Selesai."


def test_confirm_all(client, rw_kenari_001, cycle, rw_kenari, betonisasi, suban):
    reserves(cycle, rw_kenari[:1], betonisasi, rw_kenari_001, 3)
    new = open_2025(cycle, suban)
    client.force_login(rw_kenari_001)
    client.post(CARRIED_URL, {"action": "confirm_all"})
    assert set(new.proposals.values_list("status", flat=True)) == {Status.SUBMITTED}


def test_outside_the_window_nothing_can_be_answered(
    client, rw_kenari_001, cycle, rw_kenari, betonisasi, suban
):
    reserves(cycle, rw_kenari[:1], betonisasi, rw_kenari_001, 1)
    new = open_2025(
        cycle,
        suban,
        rw_opens=TODAY + datetime.timedelta(days=3),
        rw_closes=TODAY + datetime.timedelta(days=9),
    )
    copy = new.proposals.get()
    client.force_login(rw_kenari_001)
    assert "tidak dapat dikonfirmasi" in client.get(CARRIED_URL).content.decode()
    response = client.post(CARRIED_URL, {"action": "confirm", "proposal": copy.pk}, follow=True)
    assert "Masa input usulan RW 2025" in response.content.decode()
    copy.refresh_from_db()
    assert copy.status == Status.CARRIED


def test_an_rw_of_another_kelurahan_gets_404_on_a_carried_proposal(client, rw_paseban_001, carried):
    client.force_login(rw_paseban_001)
    response = client.post(CARRIED_URL, {"action": "confirm", "proposal": carried.pk})
    assert response.status_code == 404
    assert "JP25" not in client.get(CARRIED_URL).content.decode()
    carried.refresh_from_db()
    assert carried.status == Status.CARRIED


@pytest.mark.parametrize("who", ["lurah_kenari", "camat_senen", "suban", "unassigned"])
def test_the_page_is_only_for_the_rw(request, client, carried, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(CARRIED_URL).status_code == 404
    assert client.post(CARRIED_URL, {"action": "confirm_all"}).status_code == 404


@pytest.mark.parametrize(
    "data",
    [{}, {"action": "confirm"}, {"action": "tarik", "proposal": "1"}, {"proposal": "x" * 50}],
)
def test_a_malformed_answer_is_refused(client, rw_kenari_001, carried, data):
    client.force_login(rw_kenari_001)
    assert client.post(CARRIED_URL, data).status_code == 400
    carried.refresh_from_db()
    assert carried.status == Status.CARRIED


def test_the_rw_home_page_counts_the_waiting_proposals(client, rw_kenari_001, carried):
    client.force_login(rw_kenari_001)
    page = client.get(reverse("home")).content.decode()
    assert "Usulan bawaan menunggu konfirmasi" in page
    assert CARRIED_URL in page


@pytest.mark.parametrize("n", [2, 12])
def test_the_page_costs_the_same_with_more_proposals(
    client, rw_kenari_001, cycle, rw_kenari, betonisasi, suban, n, django_assert_max_num_queries
):
    reserves(cycle, rw_kenari[:1], betonisasi, rw_kenari_001, n)
    open_2025(cycle, suban)
    client.force_login(rw_kenari_001)
    with django_assert_max_num_queries(9):
        assert client.get(CARRIED_URL).status_code == 200


# -- Both journeys show the link ------------------------------------------------------------


def test_the_detail_pages_link_the_original_and_the_copy(client, lurah_kenari, carried):
    client.force_login(lurah_kenari)
    original = carried.carried_from
    copy_page = client.get(carried.get_absolute_url()).content.decode()
    assert f"{carried.code} · sejak 2024" in copy_page
    assert f'href="{original.get_absolute_url()}">{original.code}</a> (2024)' in copy_page
    original_page = client.get(original.get_absolute_url()).content.decode()
    assert f'href="{carried.get_absolute_url()}">{carried.code}</a>' in original_page
    assert f"Dibawa ke musrenbang 2025 sebagai {carried.code}" in original_page


def test_the_public_tracker_links_both_ways(client, carried):
    original = carried.carried_from
    copy_page = client.get(reverse("tracker_proposal", args=[carried.code])).content.decode()
    assert f"{carried.code} · sejak 2024" in copy_page
    assert reverse("tracker_proposal", args=[original.code]) in copy_page
    original_page = client.get(reverse("tracker_proposal", args=[original.code])).content.decode()
    assert reverse("tracker_proposal", args=[carried.code]) in original_page


def test_the_table_shows_the_first_year_beside_the_code(client, lurah_kenari, carried):
    client.force_login(lurah_kenari)
    page = client.get(reverse("proposals:list")).content.decode()
    assert f"{carried.code}</a> · sejak 2024" in page


def test_the_rw_is_pointed_to_the_confirmation_page_from_the_detail(client, rw_kenari_001, carried):
    client.force_login(rw_kenari_001)
    page = client.get(carried.get_absolute_url()).content.decode()
    assert "menunggu konfirmasi RW" in page and CARRIED_URL in page


def test_the_recap_counts_only_confirmed_carried_proposals(carried, rw_kenari_001):
    assert recap_for(carried.cycle).total == 0
    Proposal.objects.filter(pk=carried.pk).update(status=Status.SUBMITTED)
    assert recap_for(carried.cycle).total == 1


# -- Opening the next cycle ---------------------------------------------------------------------


def open_form(**fields) -> dict:
    return {
        "year": 2025,
        "code_prefix": "jp25",
        "rw_opens": "2025-01-06",
        "rw_closes": "2025-01-31",
        **fields,
    }


def test_the_form_proposes_the_next_year(client, suban, cycle):
    client.force_login(suban)
    page = client.get(OPEN_URL).content.decode()
    assert 'value="2025"' in page and 'value="JP25"' in page


def test_opening_asks_once_more_with_the_counts(
    client, suban, cycle, rw_kenari, betonisasi, rw_kenari_001
):
    reserves(cycle, rw_kenari, betonisasi, rw_kenari_001, 3)
    Proposal.objects.filter(pk=cycle.proposals.first().pk).update(first_year=2022)
    client.force_login(suban)
    page = client.post(OPEN_URL, open_form()).content.decode()
    assert "2 usulan yang belum terakomodir dibawa" in page
    assert "1 usulan tidak dibawa lagi" in page
    assert not Cycle.objects.filter(year=2025).exists()
    response = client.post(OPEN_URL, {**open_form(), "confirmed": "1"})
    assert response.status_code == 302
    new = Cycle.objects.get(year=2025)
    assert new.code_prefix == "JP25" and new.proposals.count() == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"code_prefix": "JP24"}, "Awalan kode JP24 sudah dipakai"),
        ({"code_prefix": "J-25"}, "hanya huruf dan angka"),
        ({"year": 2023}, "harus setelah 2024"),
        ({"rw_closes": "2025-01-01"}, "tidak boleh sebelum tanggal buka"),
        ({"rw_opens": "bukan tanggal"}, "tanggal"),
    ],
)
def test_bad_input_gets_a_message_and_opens_nothing(client, suban, cycle, fields, message):
    client.force_login(suban)
    for confirmed in ({}, {"confirmed": "1"}):
        response = client.post(OPEN_URL, {**open_form(**fields), **confirmed})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert Cycle.objects.count() == 1


@pytest.mark.parametrize(
    "who", ["lurah_kenari", "camat_senen", "rw_kenari_001", "dewan", "suban_jaksel", "unassigned"]
)
def test_only_the_planning_office_of_the_kota_opens_a_cycle(request, client, cycle, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(OPEN_URL).status_code == 404
    assert client.post(OPEN_URL, {**open_form(), "confirmed": "1"}).status_code == 404
    assert Cycle.objects.count() == 1


@pytest.mark.parametrize("n", [2, 12])
def test_the_open_form_costs_the_same_with_more_proposals(
    client, suban, cycle, rw_kenari, betonisasi, rw_kenari_001, n, django_assert_max_num_queries
):
    reserves(cycle, rw_kenari, betonisasi, rw_kenari_001, n)
    client.force_login(suban)
    with django_assert_max_num_queries(8):
        client.get(OPEN_URL)
    with django_assert_max_num_queries(12):
        assert client.post(OPEN_URL, open_form()).status_code == 200
