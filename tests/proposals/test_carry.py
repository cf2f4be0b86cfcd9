"""Carry-over services: the next cycle opened with the last one's unfunded proposals, each
confirmed, withdrawn or expired, within the cycle's limits."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from notices.models import Notice
from proposals.carry import (
    carried_confirm,
    carried_confirm_all,
    carried_expire,
    carried_withdraw,
    cycle_open_next,
)
from proposals.models import Attachment, Event, Proposal, Status
from proposals.services import WorkflowError
from tests.proposal_fixtures import make_proposal

TODAY = timezone.localdate()


def copy_of(original) -> Proposal:
    return Proposal.objects.get(carried_from=original)


def open_next(previous, by, year=2025, prefix="JP25", **dates):
    return cycle_open_next(
        previous=previous,
        year=year,
        code_prefix=prefix,
        rw_opens=dates.get("rw_opens", TODAY - datetime.timedelta(days=1)),
        rw_closes=dates.get("rw_closes", TODAY + datetime.timedelta(days=10)),
        by=by,
    )


@pytest.fixture
def unfunded(cycle, rw_kenari, betonisasi, rw_kenari_001):
    """One Kenari proposal at each status of the 2024 cycle."""
    return {
        status: make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001, status=status)
        for status in Status.values
        if status not in (Status.CARRIED, Status.WITHDRAWN, Status.EXPIRED)
    }


CARRIED = {
    Status.KELURAHAN_RESERVE,
    Status.KECAMATAN_RESERVE,
    Status.NOT_ACCOMMODATED,
    Status.NOT_PRIORITISED,
}


def test_reserves_and_unaccommodated_proposals_are_carried_waiting_for_their_rw(
    cycle, unfunded, suban
):
    new = open_next(cycle, suban)
    carried = list(new.proposals.select_related("carried_from"))
    assert {p.carried_from.status for p in carried} == CARRIED
    assert all(p.status == Status.CARRIED and p.first_year == 2024 for p in carried)
    assert sorted(p.code for p in carried) == [f"JP25-{n:05d}" for n in range(1, 5)]
    original = unfunded[Status.KELURAHAN_RESERVE]
    copy = copy_of(original)
    assert (copy.title, copy.volume, copy.cost, copy.rw, copy.kelurahan_id) == (
        original.title,
        original.volume,
        original.cost,
        original.rw,
        original.kelurahan_id,
    )
    assert copy.submitted_at is None and copy.recommendation == ""


def test_the_new_cycle_takes_the_previous_ones_settings(cycle, suban):
    cycle.quota_kelurahan, cycle.carry_over_cycles, cycle.legal_basis = 7, 3, "Perda 1/2024"
    cycle.save()
    new = open_next(cycle, suban)
    assert (new.quota_kelurahan, new.carry_over_cycles, new.legal_basis) == (7, 3, "Perda 1/2024")
    assert new.kota == cycle.kota and new.last_number == 0


def test_both_journeys_tell_of_the_carry(cycle, unfunded, suban):
    open_next(cycle, suban)
    original = unfunded[Status.NOT_ACCOMMODATED]
    copy = copy_of(original)
    told = original.events.get(action=Event.Action.CARRIED)
    assert told.note == f"Dibawa ke musrenbang 2025 sebagai {copy.code}"
    assert told.actor_office.startswith("Suku Badan Perencanaan")
    assert copy.events.get(action=Event.Action.CARRIED).note == (
        f"Dibawa dari {original.code} (musrenbang 2024)"
    )


def test_each_rw_is_told_once_with_a_link_to_confirm(cycle, unfunded, suban, rw_kenari_001):
    open_next(cycle, suban)
    notice = Notice.objects.get(user=rw_kenari_001)
    assert notice.kind == "carried"
    assert notice.subject == "4 usulan bawaan menunggu konfirmasi"
    assert notice.url == "/usulan/bawaan/"


def test_photos_go_along_and_a_survey_photo_stays(cycle, unfunded, suban, superuser):
    original = unfunded[Status.KECAMATAN_RESERVE]
    for kind in ("photo", "document"):
        Attachment.objects.create(
            proposal=original,
            token=kind.ljust(32, "x"),
            kind=kind,
            content_type="image/png",
            file=f"usulan/{original.pk}/{kind}.png",
            original_name=f"{kind}.png",
            size=10,
            uploaded_by=superuser,
        )
    open_next(cycle, suban)
    copied = copy_of(original).attachments.all()
    assert sorted(a.file.name for a in copied) == sorted(
        f"usulan/{original.pk}/{kind}.png" for kind in ("document", "photo")
    )


def test_a_proposal_is_carried_at_most_carry_over_cycles_times(
    cycle, kota_jp, rw_kenari, betonisasi, rw_kenari_001, suban
):
    cycle.carry_over_cycles = 1
    cycle.save()
    once = make_proposal(
        cycle, rw_kenari[0], betonisasi, rw_kenari_001, status=Status.NOT_ACCOMMODATED
    )
    Proposal.objects.filter(pk=once.pk).update(first_year=2023)
    fresh = make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001, status="kel_reserve")
    new = open_next(cycle, suban)
    assert list(new.proposals.values_list("carried_from", flat=True)) == [fresh.pk]
    expired = once.events.get(action=Event.Action.EXPIRED)
    assert "Sudah dibawa 1 kali" in expired.note


def test_zero_carry_over_cycles_carries_nothing(cycle, unfunded, suban):
    cycle.carry_over_cycles = 0
    cycle.save()
    new = open_next(cycle, suban)
    assert not new.proposals.exists()
    assert Event.objects.filter(action=Event.Action.EXPIRED).count() == 4


def test_an_inactive_catalogue_item_is_not_carried(cycle, unfunded, suban, betonisasi):
    betonisasi.active = False
    betonisasi.save()
    new = open_next(cycle, suban)
    assert not new.proposals.exists()
    assert (
        Event.objects.filter(action=Event.Action.EXPIRED, note__contains="tidak aktif").count() == 4
    )


def test_a_carried_proposal_is_carried_again_with_its_first_year(
    cycle, unfunded, suban, rw_kenari_001
):
    new = open_next(cycle, suban)
    copy = copy_of(unfunded[Status.NOT_PRIORITISED])
    carried_confirm(proposal=copy, by=rw_kenari_001)
    Proposal.objects.filter(pk=copy.pk).update(status=Status.KELURAHAN_RESERVE)
    newer = open_next(new, suban, year=2026, prefix="JP26")
    again = newer.proposals.get()
    assert again.carried_from_id == copy.pk and again.first_year == 2024
    # Carried twice now (2024 → 2025 → 2026): the default limit of 2 is reached.
    Proposal.objects.filter(pk=again.pk).update(status=Status.NOT_ACCOMMODATED)
    assert not open_next(newer, suban, year=2027, prefix="JP27").proposals.exists()


def test_the_rw_confirms_and_the_proposal_goes_to_the_lurah(cycle, unfunded, suban, rw_kenari_001):
    open_next(cycle, suban)
    copy = copy_of(unfunded[Status.KELURAHAN_RESERVE])
    carried_confirm(proposal=copy, by=rw_kenari_001)
    copy.refresh_from_db()
    assert copy.status == Status.SUBMITTED and copy.submitted_at is not None
    assert copy.events.filter(action=Event.Action.CONFIRMED).exists()


def test_confirm_all_confirms_every_carried_proposal_of_the_rw(
    cycle, unfunded, suban, rw_kenari_001
):
    new = open_next(cycle, suban)
    assert carried_confirm_all(cycle=new, by=rw_kenari_001) == 4
    assert set(new.proposals.values_list("status", flat=True)) == {Status.SUBMITTED}


def test_the_rw_withdraws_with_a_reason(cycle, unfunded, suban, rw_kenari_001):
    open_next(cycle, suban)
    copy = copy_of(unfunded[Status.KELURAHAN_RESERVE])
    carried_withdraw(proposal=copy, by=rw_kenari_001, reason="Sudah dibangun swadaya.")
    copy.refresh_from_db()
    assert copy.status == Status.WITHDRAWN
    assert copy.events.get(action=Event.Action.WITHDRAWN).note == "Sudah dibangun swadaya."


def test_a_withdrawn_proposal_cannot_be_confirmed(cycle, unfunded, suban, rw_kenari_001):
    open_next(cycle, suban)
    copy = copy_of(unfunded[Status.KELURAHAN_RESERVE])
    carried_withdraw(proposal=copy, by=rw_kenari_001)
    with pytest.raises(WorkflowError, match="tidak sedang menunggu"):
        carried_confirm(proposal=copy, by=rw_kenari_001)


def test_nobody_but_the_rw_answers(cycle, unfunded, suban, lurah_kenari):
    open_next(cycle, suban)
    copy = copy_of(unfunded[Status.KELURAHAN_RESERVE])
    with pytest.raises(WorkflowError, match="bukan pengurus RW"):
        carried_confirm(proposal=copy, by=lurah_kenari)


def test_the_rw_answers_only_inside_its_window(cycle, unfunded, suban, rw_kenari_001):
    open_next(cycle, suban, rw_opens=TODAY + datetime.timedelta(days=5))
    copy = copy_of(unfunded[Status.KELURAHAN_RESERVE])
    with pytest.raises(WorkflowError, match="Masa input usulan RW 2025"):
        carried_confirm(proposal=copy, by=rw_kenari_001)
    copy.refresh_from_db()
    assert copy.status == Status.CARRIED


def test_unconfirmed_proposals_expire_after_the_window(cycle, unfunded, suban, rw_kenari_001):
    new = open_next(cycle, suban)
    carried_confirm(proposal=copy_of(unfunded[Status.KELURAHAN_RESERVE]), by=rw_kenari_001)
    assert carried_expire(cycle=new) == 0  # the window is still open
    assert carried_expire(cycle=new, today=new.rw_closes + datetime.timedelta(days=1)) == 3
    statuses = sorted(new.proposals.values_list("status", flat=True))
    assert statuses == [Status.EXPIRED] * 3 + [Status.SUBMITTED]
    assert (
        Event.objects.filter(
            proposal__cycle=new, action=Event.Action.EXPIRED, note__startswith="Tidak dikonfirmasi"
        ).count()
        == 3
    )


def test_the_command_expires_the_leftovers_of_closed_windows(cycle, unfunded, suban):
    new = open_next(
        cycle,
        suban,
        rw_opens=TODAY - datetime.timedelta(days=20),
        rw_closes=TODAY - datetime.timedelta(days=1),
    )
    call_command("carried_expire")
    assert set(new.proposals.values_list("status", flat=True)) == {Status.EXPIRED}


def test_opening_the_next_cycle_expires_the_previous_ones_leftovers(cycle, unfunded, suban):
    new = open_next(cycle, suban)
    newer = open_next(new, suban, year=2026, prefix="JP26")
    assert set(new.proposals.values_list("status", flat=True)) == {Status.EXPIRED}
    assert not newer.proposals.exists()  # expired, not carried again


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"year": 2024}, "harus setelah 2024"),
        ({"prefix": "JP24"}, "sudah dipakai"),
        ({"rw_closes": TODAY - datetime.timedelta(days=30)}, "tidak boleh sebelum"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(cycle, unfunded, suban, fields, message):
    with pytest.raises(WorkflowError, match=message):
        open_next(cycle, suban, **fields)
    assert not Proposal.objects.filter(status=Status.CARRIED).exists()


def test_a_year_that_exists_is_refused(cycle, suban):
    open_next(cycle, suban)
    with pytest.raises(WorkflowError, match="terbaru"):
        open_next(cycle, suban, year=2026, prefix="JP26")


def test_only_the_planning_office_of_the_kota_opens_it(cycle, suban_jaksel, lurah_kenari):
    for user in (suban_jaksel, lurah_kenari):
        with pytest.raises(WorkflowError, match="Suku Badan Perencanaan"):
            open_next(cycle, user)


def test_thousands_of_proposals_are_carried_in_a_few_queries(
    cycle, rw_kenari, betonisasi, rw_kenari_001, suban, django_assert_max_num_queries
):
    originals = [
        make_proposal(cycle, rw_kenari[i % 2], betonisasi, rw_kenari_001, status="kec_reserve")
        for i in range(30)
    ]
    with django_assert_max_num_queries(30):
        new = open_next(cycle, suban)
    assert new.proposals.count() == len(originals)
