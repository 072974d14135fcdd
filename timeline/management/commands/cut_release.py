"""manage.py cut_release: cut the next numbered release of the public dataset (for cron).

0 3 * * 1  cd /srv/timeline && SITE_URL=https://timeline.example.org .venv/bin/python manage.py cut_release
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from timeline.releases import ReleaseBusy, cut_release


class Command(BaseCommand):
    help = "Cut the next numbered release of the public dataset: frozen CSV and JSON with checksums and a changelog."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default=settings.SITE_URL,
            help="The site's public address, which the events' URLs in the files start with (default: SITE_URL).",
        )

    def handle(self, *args, site_url, **options):
        site_url = site_url.rstrip("/")
        if not site_url.startswith(("https://", "http://")):
            raise CommandError("Give the site's public address: --site-url https://timeline.example.org, or set SITE_URL.")
        try:
            release = cut_release(site_url)
        except ReleaseBusy as busy:
            raise CommandError(str(busy)) from None
        self.stdout.write(
            f"Release {release.number}: {release.event_count:,} events in {release.build_seconds:.1f} s; "
            f"CSV {filesizeformat(release.csv_bytes)} sha256 {release.csv_sha256}; "
            f"JSON {filesizeformat(release.json_bytes)} sha256 {release.json_sha256}."
        )
        if release.has_changelog:
            self.stdout.write(
                f"Since release {release.number - 1}: {release.added} added, {release.changed} changed, "
                f"{release.corrected} corrected, {release.withdrawn} withdrawn."
            )
