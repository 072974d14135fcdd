from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Policy timeline"

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
