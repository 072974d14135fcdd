import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the first superuser with a random password, printed once; later runs leave it alone."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Admin user “{username}” already exists; its password was printed when it was created.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        banner = "=" * 60
        self.stdout.write(
            self.style.SUCCESS(f"{banner}\nAdmin login: {username} / {password}\nKeep it: it is shown only this once.\n{banner}")
        )
