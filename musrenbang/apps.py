from django.apps import AppConfig


class MusrenbangConfig(AppConfig):
    """The top layer: pages that combine the apps, and the demo."""

    name = "musrenbang"
    verbose_name = "Musrenbang"
