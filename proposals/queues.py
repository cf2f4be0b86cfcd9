"""The sets a UKPD's survey queue is made of, as conditions: the queue's two tabs, their counts
and the UKPD's and lurah's home panels read the same ones, so their figures agree."""

from django.conf import settings
from django.db.models import Q

from proposals.carry import NOT_TAKING_PART
from proposals.models import Status


def awaiting_survey() -> Q:
    """Accepted by the lurah and not yet surveyed; with SURVEY_BEFORE_ACCEPTANCE, also those
    still awaiting the lurah. A DPRD member's pokir waits from its entry on."""
    waiting = [Status.ACCEPTED, Status.POKIR]  # a pokir comes to the kota without a lurah
    if settings.SURVEY_BEFORE_ACCEPTANCE:
        waiting.append(Status.SUBMITTED)
    return Q(status__in=waiting, recommendation="")


def surveyed() -> Q:
    """Surveyed, wherever the proposal went since: the set the recap counts as "Disurvei" (a
    survey sets the recommendation; neither a draft nor a carried copy has one)."""
    return ~Q(recommendation="") & ~Q(status__in=[Status.DRAFT, *NOT_TAKING_PART])
