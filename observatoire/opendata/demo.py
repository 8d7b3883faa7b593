"""The demo's open data: the files are generated from the demo network once it is saved.

Called last by `load_demo_network` (this app comes last in INSTALLED_APPS), inside its
transaction: the files are written once that transaction commits, so they hold the whole demo
and `make run` opens on a page with files to download.
"""

from django.db import transaction

from .services import open_data_publish


def load_demo(*, seed: int) -> None:
    transaction.on_commit(open_data_publish)
