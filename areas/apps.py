from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "areas"
    label = "areas"
    verbose_name = _("Wilayah dan pejabat")

    def ready(self):
        from auditlog.registry import auditlog

        from areas.models import Area, Assignment, Dapil, TechnicalUnit, User

        auditlog.register(Area)
        auditlog.register(TechnicalUnit)
        auditlog.register(Assignment)
        auditlog.register(Dapil, m2m_fields={"kecamatan"})  # its kecamatan are a member's reach
        # The password hash is a secret and last_login changes on every sign-in (axes logs it).
        auditlog.register(User, exclude_fields=["password", "last_login"])
