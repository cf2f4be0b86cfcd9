from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Usulan")

    def ready(self):
        from auditlog.registry import auditlog

        from proposals.models import (
            Attachment,
            CatalogueItem,
            Ceiling,
            Cycle,
            Decision,
            Proposal,
            Recess,
            SubActivity,
            Survey,
        )

        auditlog.register(Proposal, exclude_fields=["number"])
        auditlog.register(Survey)
        auditlog.register(Cycle, exclude_fields=["last_number"])
        auditlog.register(Ceiling)
        auditlog.register(CatalogueItem)
        auditlog.register(Decision)
        auditlog.register(Attachment)
        auditlog.register(SubActivity)
        auditlog.register(Recess)
        # Event is not registered: it is itself the append-only journey (who, when, what).
