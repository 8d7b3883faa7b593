"""`python manage.py find_duplicates [--min-score S] [--format text|json]`."""

import json

from django.core.management.base import BaseCommand, CommandError

from observatoire.deduplication.models import DuplicateCandidate
from observatoire.deduplication.services import DEFAULT_MIN_SCORE, duplicates_find


class Command(BaseCommand):
    help = "Find possible duplicate organisations in the register and print the candidate pairs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-score",
            type=float,
            default=DEFAULT_MIN_SCORE,
            help=f"lowest score of a pair printed (0 to 1, default {DEFAULT_MIN_SCORE})",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, min_score: float, format: str, **options):
        if not 0 <= min_score <= 1:
            raise CommandError("--min-score is a number between 0 and 1.")
        # The register keeps the pairs of the usual threshold even when fewer are printed.
        result = duplicates_find(min_score=min(min_score, DEFAULT_MIN_SCORE))
        pairs = (
            DuplicateCandidate.objects.open()
            .filter(score__gte=min_score)
            .select_related("first", "second")
            .order_by("-score", "first_id", "second_id")
        )
        if format == "json":
            data = [
                {
                    "first": {"id": p.first_id, "name": p.first.name},
                    "second": {"id": p.second_id, "name": p.second.name},
                    "score": p.score,
                    "reasons": p.reason_labels,
                    "reason_codes": p.reasons,
                }
                for p in pairs
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        count = 0
        for p in pairs:
            count += 1
            self.stdout.write(
                f"{p.score:.2f}  #{p.first_id} {p.first.name}  ↔  #{p.second_id} {p.second.name}"
                f"  ({', '.join(p.reason_labels)})"
            )
        self.stdout.write(
            f"{count} pair(s) to review; {result.scanned} organisations scanned, "
            f"{result.compared} pairs compared."
        )
