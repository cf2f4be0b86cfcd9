from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    """Sidang and everything decided in them.

    The label is not "sessions": django.contrib.sessions owns that one.
    """

    name = "sessions"
    label = "sidang"
    verbose_name = _("Sidang")

    def ready(self):
        from auditlog.registry import auditlog

        from sessions.models import Candidate, Criterion, Minutes, Participant, Sidang, SignedScan

        for model in (Sidang, Candidate, Criterion, Minutes, Participant, SignedScan):
            auditlog.register(model)

        from proposals import journey
        from proposals.signals import proposal_accepted
        from sessions.models import Decision
        from sessions.services import KIND_ACTION, RANKED_PHRASES, candidate_join

        for action in KIND_ACTION.values():
            journey.register(action, labels=(Decision,), phrases=RANKED_PHRASES)

        proposal_accepted.connect(
            lambda sender, proposal, **kwargs: candidate_join(proposal=proposal),
            weak=False,
            dispatch_uid="sessions.candidate_join",
        )
