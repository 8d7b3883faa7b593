"""`manage.py demo_logins`: print the demo accounts, one line per role (run by make run)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from observatoire.organizations.demo import demo_logins


class Command(BaseCommand):
    help = "Print the e-mail and password of each demo account present in the database."

    def handle(self, *args, **options):
        logins = demo_logins()
        if not logins:
            self.stdout.write("  No demo account in this database.")
            return
        site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
        self.stdout.write(
            f"  Sign in at {site}{reverse('accounts:login')} "
            f"(back office: {site}{reverse('admin:index')})"
        )
        label_width = max(len(label) for label, _email, _password in logins)
        email_width = max(len(email) for _label, email, _password in logins)
        for label, email, password in logins:
            self.stdout.write(f"  {label:<{label_width}}  {email:<{email_width}}  {password}")
