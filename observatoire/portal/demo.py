"""The portal's part of the demo network: the public search index over the demo's records.

The other apps' demos write through the ORM, so the index follows them already; some rows go in
with bulk inserts that skip signals, so the index is rebuilt once everything is there.
"""

from .index import index_rebuild


def load_demo(*, seed: int) -> None:
    index_rebuild()
