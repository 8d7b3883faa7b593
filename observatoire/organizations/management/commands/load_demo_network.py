"""`manage.py load_demo_network`: fill an empty register with the demo network (run by make run)."""

from django.core.management.base import BaseCommand

from observatoire.organizations.demo import SEED, demo_is_loaded, load_demo_network


class Command(BaseCommand):
    help = (
        "Load the demo network of a regional network in Nouvelle-Aquitaine: organisations, "
        "people, memberships, interactions and one demo account per role. Does nothing when "
        "the register already holds organisations."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=SEED,
            help="Seed of the random draws (default: %(default)s).",
        )

    def handle(self, *args, seed: int, **options):
        if demo_is_loaded():
            self.stdout.write("The register already holds organisations: demo not loaded again.")
            return
        summary = load_demo_network(seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo network loaded in {summary.seconds:.1f} s: "
                f"{summary.organizations} organisations, {summary.people} people, "
                f"{summary.memberships} memberships, {summary.interactions} interactions."
            )
        )
