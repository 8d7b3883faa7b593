"""The deduplication part of the demo: the demo network's near-duplicates wait for review."""

from .services import duplicates_find


def load_demo(*, seed: int) -> None:
    """Run the finder once, so that a newcomer finds candidate pairs in the back office."""
    duplicates_find()
