"""What a proposal's RW (and the others concerned) are told, in plain Indonesian.

Called by the services inside their transactions, so a notice exists only if its action
committed. Texts are stored in the project's language, whichever language the actor's screen
shows, like the journey.
"""

from django.conf import settings
from django.utils import translation

from areas.models import Role
from notices.services import holders, notify
from proposals.models import Proposal


def rw_tell(proposal: Proposal, *, kind: str, subject: str, text: str, url: str = "") -> None:
    """Tell the ketua RW (and RW staff) of the proposal's RW; the link defaults to the
    proposal's page."""
    notify(
        holders(Role.RW, area=proposal.rw_id),
        kind=kind,
        subject=f"{proposal.code}: {subject}",
        text=text,
        url=url or proposal.get_absolute_url(),
    )


def stored_language():
    """Write the texts of notices in the project's language (see proposals.services.office_of)."""
    return translation.override(settings.LANGUAGE_CODE)
