"""The proposal form under hostile input: refused with a reason and no trace, or saved whole."""

import pytest
from django.urls import reverse
from hypothesis import event, example, given
from hypothesis import strategies as st

from areas.forms import has_control_characters
from proposals.models import Attachment, Event, Proposal, Status, rupiah_cost
from proposals.plausible import proposal_problems
from tests.hostile.conftest import assert_refusal_explained, hostile_settings, rolled_back
from tests.hostile.strategies import any_text, one_of_or_junk

BIGINT_MAX = 2**63 - 1


def state() -> tuple:
    """What a refused form must leave as it was."""
    return (
        list(Proposal.objects.order_by("pk").values_list()),
        Event.objects.count(),
        Attachment.objects.count(),
    )


def fields(betonisasi, sda) -> st.SearchStrategy:
    return st.fixed_dictionaries(
        {
            "title": one_of_or_junk("Perbaikan jalan Gg. Kenari"),
            "catalogue_item": one_of_or_junk(str(betonisasi.pk), "", "999999"),
            "problem": one_of_or_junk("Jalan berlubang dan tergenang."),
            "category": one_of_or_junk("fisik", "pengadaan", "non_fisik", ""),
            "target_unit": one_of_or_junk(str(sda.pk), "", "0"),
            "address": one_of_or_junk("Jl. Kenari II"),
            "rt": one_of_or_junk("4", "003", ""),
            "latitude": one_of_or_junk("-6.1862", "", "90", "-91"),
            "longitude": one_of_or_junk("106.8505", "", "180.000001"),
            "volume": one_of_or_junk("30", "0.01", "9999999999.99"),
            "measure": one_of_or_junk("m2", ""),
            "unit_price": one_of_or_junk("", "450000", str(BIGINT_MAX)),
            "beneficiaries": one_of_or_junk("200", "", "2147483647"),
        },
        optional={"rw": st.one_of(st.just("0"), any_text)},
    )


def check_accepted(proposal: Proposal, posted: dict, rw_kenari_001) -> None:
    """A saved proposal is whole: its cost follows from volume and price, and it is valid."""
    proposal.full_clean()
    assert proposal.created_by == rw_kenari_001 or proposal.events.exists()
    assert proposal.cost == rupiah_cost(proposal.volume, proposal.unit_price) <= BIGINT_MAX
    assert proposal.volume > 0
    assert proposal.target_unit_id is not None and proposal.category
    for text in (proposal.title, proposal.address, proposal.measure):
        assert not has_control_characters(text, multiline=False), text
    assert not has_control_characters(proposal.problem, multiline=True)
    item = proposal.catalogue_item
    # RT 001–999 in ASCII digits, inside DKI Jakarta, volume and cost within their limits.
    assert not proposal_problems(
        rt=proposal.rt,
        latitude=proposal.latitude,
        longitude=proposal.longitude,
        volume=proposal.volume,
        unit_price=proposal.unit_price,
        max_volume=item.max_volume if item else None,
    )


def check_refused(response, before) -> None:
    if response.context.get("similar"):
        # Valid, but like a proposal already there: the form comes back with the warning and
        # the others' links, to be saved anyway.
        assert response.status_code == 200 and not response.context["form"].errors
        assert "Usulan ini mirip dengan usulan yang sudah ada" in response.content.decode()
    else:
        assert_refusal_explained(response, response.context["form"])
    assert state() == before


@pytest.mark.parametrize("editing", [False, True], ids=["create", "edit"])
def test_the_proposal_form_refuses_or_saves_whole(
    client, rw_kenari_001, cycle, betonisasi, sda, draft_kenari, examples, editing
):
    client.force_login(rw_kenari_001)
    url = (
        reverse("proposals:edit", args=[draft_kenari.pk])
        if editing
        else reverse("proposals:create")
    )

    @hostile_settings(examples)
    @given(posted=fields(betonisasi, sda))
    @example(  # volume × price beyond the database's whole numbers
        posted={
            "title": "Jalan",
            "catalogue_item": "",
            "problem": "Rusak",
            "category": "fisik",
            "target_unit": str(sda.pk),
            "address": "Jl. Kenari",
            "rt": "",
            "latitude": "",
            "longitude": "",
            "volume": "9999999999.99",
            "measure": "m",
            "unit_price": str(BIGINT_MAX),
            "beneficiaries": "",
        }
    )
    def check(posted):
        with rolled_back():
            before = state()
            count = Proposal.objects.count()
            response = client.post(url, posted)
            assert response.status_code < 500
            event(f"HTTP {response.status_code}")
            if response.status_code == 302:
                assert Proposal.objects.count() == count + (0 if editing else 1)
                proposal = (
                    Proposal.objects.get(pk=draft_kenari.pk)
                    if editing
                    else Proposal.objects.latest("pk")
                )
                check_accepted(proposal, posted, rw_kenari_001)
                assert proposal.status == Status.DRAFT
            else:
                check_refused(response, before)

    check()
