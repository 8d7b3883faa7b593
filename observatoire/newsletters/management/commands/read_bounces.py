from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from observatoire.newsletters.bounces import read_configured_mailbox, read_maildir


class Command(BaseCommand):
    help = "Read delivery status notifications from the bounce mailbox and record the bounces."

    def add_arguments(self, parser):
        parser.add_argument("--maildir", help="read this Maildir instead of the configured box")

    def handle(self, *args, maildir=None, **options):
        count = read_maildir(maildir) if maildir else read_configured_mailbox()
        self.stdout.write(_("%(count)d bounces recorded.") % {"count": count})
