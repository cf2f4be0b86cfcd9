"""The UKPD survey form under hostile input: refused with a reason and no trace, or saved whole."""

from django.urls import reverse
from django.utils import timezone
from hypothesis import event, given
from hypothesis import strategies as st

from proposals.models import Attachment, Event, Proposal, Recommendation, Survey, rupiah_cost
from tests.hostile.conftest import assert_refusal_explained, hostile_settings, rolled_back
from tests.hostile.strategies import one_of_or_junk

FIELDS = st.fixed_dictionaries(
    {
        # Today lies in the test cycle's survey dates; 2024-02-12 before its RW window opened.
        "surveyed_on": one_of_or_junk(
            timezone.localdate().isoformat(),
            "2024-02-12",
            "0001-01-01",
            "2999-01-01",
            "12/02/2024",
            "2024-02-30",
        ),
        "findings": one_of_or_junk("Jalan rusak sedang."),
        "recommendation": one_of_or_junk("recommended", "not_recommended", ""),
        "reason": one_of_or_junk("", "other", "already_budgeted", "still_adequate"),
        "reason_note": one_of_or_junk("", "Sudah ditangani dinas lain."),
        "revised_volume": one_of_or_junk("100", "0", "9999999999.99", "-1"),
    }
)


def state(proposal) -> tuple:
    return (
        list(Survey.objects.values_list()),
        list(Proposal.objects.filter(pk=proposal.pk).values_list()),
        Event.objects.count(),
        Attachment.objects.count(),
    )


def test_the_survey_form_refuses_or_saves_whole(client, ukpd_binamarga, proposal_kenari, examples):
    client.force_login(ukpd_binamarga)
    url = reverse("proposals:survey", args=[proposal_kenari.pk])

    @hostile_settings(examples)
    @given(posted=FIELDS)
    def check(posted):
        with rolled_back():
            before = state(proposal_kenari)
            response = client.post(url, posted)
            assert response.status_code < 500
            event(f"HTTP {response.status_code}")
            if response.status_code == 302:
                survey = Survey.objects.select_related("proposal").get(proposal=proposal_kenari)
                survey.full_clean()
                proposal = survey.proposal
                assert proposal.recommendation == survey.recommendation == posted["recommendation"]
                if survey.recommendation == Recommendation.NOT_RECOMMENDED:
                    assert survey.reason
                else:
                    assert survey.reason == ""
                assert survey.revised_cost == rupiah_cost(
                    survey.revised_volume, proposal.unit_price
                )
                assert "\x00" not in survey.findings + survey.reason_note
                first, last = proposal.cycle.survey_dates()
                assert first <= survey.surveyed_on <= min(last, timezone.localdate())
            else:
                assert_refusal_explained(response, response.context["form"])
                assert state(proposal_kenari) == before

    check()
