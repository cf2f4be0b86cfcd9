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

        from sessions.models import Candidate, Criterion, Minutes, Participant, Sidang

        for model in (Sidang, Candidate, Criterion, Minutes, Participant):
            auditlog.register(model)
