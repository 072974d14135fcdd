from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Policy timeline"

    def ready(self):
        from . import export_lines, signals  # noqa: F401  (connects the receivers)

        export_lines.connect()


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """The admin, with the newsroom's desk as its home (see desk.py)."""

    default = False  # TimelineConfig stays this module's default app config
    default_site = "timeline.desk.NewsroomAdminSite"
