from django.core.management.base import BaseCommand

from observatoire.portal.index import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the public search index of the directory and the project panorama."

    def handle(self, *args, **options):
        organizations, projects = index_rebuild()
        self.stdout.write(f"{organizations} organisations and {projects} projects indexed.")
