"""What a proposal's RW (and the others concerned) are told, in plain Indonesian.

Called by the services inside their transactions, so a notice exists only if its action
committed. Texts are stored in the project's language, whichever language the actor's screen
shows, like the journey.
"""

from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from areas.models import Role
from notices.services import Message, holders_by, notify_all
from proposals.models import Proposal


def rw_tell(proposal: Proposal, *, kind: str, subject: str, text: str, url: str = "") -> None:
    """Tell the ketua RW (and RW staff) of the proposal's RW; the link defaults to the
    proposal's page."""
    rw_tell_all([(proposal, subject, text)], kind=kind, url=url)


def rw_tell_all(told: list[tuple[Proposal, str, str]], *, kind: str, url: str = "") -> list:
    """rw_tell for many proposals at once, each (proposal, subject, text): the RWs' holders
    read in one query, the notices written in one. Returns the notices."""
    if not told:
        return []
    people = holders_by(Role.RW, areas={proposal.rw_id for proposal, _s, _t in told})
    return notify_all(
        Message(
            people.get(proposal.rw_id, []),
            kind=kind,
            subject=f"{proposal.code}: {subject}",
            text=text,
            url=url or proposal.get_absolute_url(),
        )
        for proposal, subject, text in told
    )


def stored_language():
    """Write the texts of notices in the project's language (see proposals.services.office_of)."""
    return translation.override(settings.LANGUAGE_CODE)


# -- What the lurah and the UKPD did ------------------------------------------------------------


def surveyed_tell(proposal: Proposal, *, outcome: str) -> None:
    """`outcome` is the survey's note in the journey: the recommendation, and the reason."""
    with stored_language():
        rw_tell_all([surveyed_said(proposal, outcome=outcome)], kind="proposal_surveyed")


# What each of those says, as (proposal, subject, text) for rw_tell_all, in the active language
# (the demo tells its journeys' past steps with these too).


def returned_said(proposal: Proposal, *, note: str) -> tuple[Proposal, str, str]:
    text = _(
        "Lurah mengembalikan usulan %(code)s (%(title)s) kepada RW dengan catatan:\n"
        "%(note)s\n\nPerbaiki usulan itu, lalu ajukan kembali."
    ) % {"code": proposal.code, "title": proposal.title, "note": note}
    return proposal, _("dikembalikan untuk diperbaiki"), text


def accepted_said(proposal: Proposal, *, note: str = "") -> tuple[Proposal, str, str]:
    text = _(
        "Lurah menerima usulan %(code)s (%(title)s). Usulan itu kini menjadi calon "
        "prioritas dalam sidang kelompok kelurahan."
    ) % {"code": proposal.code, "title": proposal.title}
    if note:
        text += "\n\n" + _("Catatan lurah: %(note)s") % {"note": note}
    return proposal, _("diterima kelurahan"), text


def surveyed_said(proposal: Proposal, *, outcome: str) -> tuple[Proposal, str, str]:
    text = _("UKPD telah menyurvei usulan %(code)s (%(title)s). Hasilnya: %(outcome)s.") % {
        "code": proposal.code,
        "title": proposal.title,
        "outcome": outcome,
    }
    return proposal, _("hasil survei UKPD"), text


# -- What awaits a UKPD's survey -----------------------------------------------------------------


def surveys_due_tell(proposals: list[Proposal]) -> None:
    """The target UKPDs' officers, of the physical proposals that have just joined their survey
    queue (proposals/queues.py): a notice naming the proposal when a unit has one, a count when
    an import or a bulk acceptance gives it many (never one per proposal)."""
    due: dict[int, list[Proposal]] = defaultdict(list)
    for proposal in proposals:
        if proposal.needs_survey and proposal.target_unit_id and not proposal.recommendation:
            due[proposal.target_unit_id].append(proposal)
    if not due:
        return
    officers = holders_by(Role.UKPD, units=due)
    with stored_language():
        notify_all(_due_message(found, officers.get(unit_id, [])) for unit_id, found in due.items())


def survey_due_message(proposal: Proposal, users) -> Message:
    """The notice of one proposal waiting for the survey of `users`' unit, in the active
    language."""
    return Message(
        users,
        kind="survey_due",
        subject=_("%(code)s: usulan fisik menunggu survei") % {"code": proposal.code},
        text=_("Usulan fisik %(code)s (%(title)s, %(address)s) menunggu survei lapangan UKPD Anda.")
        % {"code": proposal.code, "title": proposal.title, "address": proposal.address},
        url=reverse("proposals:survey", args=[proposal.pk]),
    )


def _due_message(found: list[Proposal], users) -> Message:
    if len(found) == 1:
        return survey_due_message(found[0], users)
    return Message(
        users,
        kind="survey_due",
        subject=_("%(count)s usulan fisik baru menunggu survei") % {"count": len(found)},
        text=_(
            "%(count)s usulan fisik baru menunggu survei lapangan UKPD Anda. Daftarnya ada di "
            "antrean survei."
        )
        % {"count": len(found)},
        url=reverse("proposals:survey_queue"),
    )
