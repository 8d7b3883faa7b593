"""The demo network for tests: loaded once per test process, then installed where a test needs it.

`load_demo_network()` takes tens of seconds. Each test process (each xdist worker) runs it once,
the first time a test asks for the demo, on a copy of the empty test database, and keeps the
result. A test class or module that needs the demo then gets the database in that state in
milliseconds, and the empty database back afterwards:

- on SQLite (in memory), whole-database copies with SQLite's online backup;
- on PostgreSQL, a second database created from the test database as a template: the connection
  is pointed at it while the demo tests run, and back at the test database afterwards.

The tests still run in transactions rolled back after each of them (Django's `TestCase`,
pytest-django's `db`), so a test that changes the demo leaves it intact for the next one.

The demo is loaded the way `manage.py load_demo_network` loads it: in its own committed
transaction, so the work it leaves for after the commit (the open-data files) is done. What the
load sent by mail and where those files went are kept on the `LoadedDemo` the tests receive.
"""

import contextlib
import datetime
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import TestCase, override_settings
from django.utils import timezone

from observatoire.referentials.selectors import communes_index_clear

from .demo import SEED, DemoSummary, load_demo_network


@dataclass
class LoadedDemo:
    """The demo network as a test sees it, and what loading it did outside the database."""

    seed: int
    today: datetime.date
    summary: DemoSummary
    # The messages the load sent, on commit included (the locmem backend's outbox).
    sent_mail: list[mail.EmailMessage] = field(default_factory=list)
    # Where the open-data files published on commit were written.
    open_data_root: Path | None = None


class _SQLiteCopies:
    """Swaps the content of the in-memory test database with SQLite's online backup."""

    def __init__(self, *, seed: int):
        self.demo = sqlite3.connect(":memory:")
        self.saved = sqlite3.connect(":memory:")

    def _database(self) -> sqlite3.Connection:
        connection.ensure_connection()
        return connection.connection

    def start_build(self) -> None:
        self._database().backup(self.saved)

    def finish_build(self, *, succeeded: bool) -> None:
        if succeeded:
            self._database().backup(self.demo)
        self.saved.backup(self._database())

    def install(self) -> None:
        self._database().backup(self.saved)
        self.demo.backup(self._database())

    def uninstall(self) -> None:
        self.saved.backup(self._database())

    def drop(self) -> None:
        self.demo.close()
        self.saved.close()


class _PostgreSQLDatabase:
    """Points the connection at a second database, made from the test database as a template."""

    def __init__(self, *, seed: int):
        self.test_name = connection.settings_dict["NAME"]
        self.demo_name = f"{self.test_name}_demo{seed}"

    def _use(self, name: str) -> None:
        connection.close()
        connection.settings_dict["NAME"] = name

    def _drop_demo_database(self) -> None:
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(self.demo_name)}")

    def start_build(self) -> None:
        # A template database must have no session open on it: ours is closed first.
        connection.close()
        self._drop_demo_database()
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                f"CREATE DATABASE {quote(self.demo_name)} TEMPLATE {quote(self.test_name)}"
            )
        self._use(self.demo_name)

    def finish_build(self, *, succeeded: bool) -> None:
        self._use(self.test_name)

    def install(self) -> None:
        self._use(self.demo_name)

    def uninstall(self) -> None:
        self._use(self.test_name)

    def drop(self) -> None:
        # At the session's end the test database may be gone already: only the demo's is dropped.
        connection.close()
        self._drop_demo_database()


def _new_store(*, seed: int) -> _SQLiteCopies | _PostgreSQLDatabase:
    if connection.vendor == "sqlite":
        return _SQLiteCopies(seed=seed)
    if connection.vendor == "postgresql":
        return _PostgreSQLDatabase(seed=seed)
    raise ImproperlyConfigured(
        f"The shared demo network is copied on SQLite or PostgreSQL, not {connection.vendor}."
    )


class _DemoCache:
    """The demos loaded in this process, one per seed, rebuilt when the day changes."""

    def __init__(self):
        self.stores: dict[int, _SQLiteCopies | _PostgreSQLDatabase] = {}
        self.loaded: dict[int, LoadedDemo] = {}
        self._open_data = tempfile.TemporaryDirectory(prefix="observatoire-demo-")

    def get(self, *, seed: int) -> tuple[LoadedDemo, _SQLiteCopies | _PostgreSQLDatabase]:
        today = timezone.localdate()
        loaded = self.loaded.get(seed)
        if loaded is None or loaded.today != today:
            self.loaded[seed] = self._build(seed=seed, today=today)
        return self.loaded[seed], self.stores[seed]

    def _build(self, *, seed: int, today: datetime.date) -> LoadedDemo:
        if connection.in_atomic_block:
            raise RuntimeError(
                "The demo network is loaded outside transactions: install it before the test's "
                "transaction starts (DemoNetworkTestCase, or the demo_network fixture)."
            )
        self.loaded.pop(seed, None)
        if seed not in self.stores:
            self.stores[seed] = _new_store(seed=seed)
        store = self.stores[seed]
        open_data_root = Path(self._open_data.name) / f"{seed}-{today.isoformat()}"
        outbox = getattr(mail, "outbox", None)
        mail.outbox = []
        succeeded = False
        store.start_build()
        try:
            with override_settings(OPEN_DATA_ROOT=open_data_root):
                summary = load_demo_network(seed=seed, today=today)
            sent_mail = list(mail.outbox)
            succeeded = True
        finally:
            mail.outbox = outbox
            store.finish_build(succeeded=succeeded)
        return LoadedDemo(
            seed=seed,
            today=today,
            summary=summary,
            sent_mail=sent_mail,
            open_data_root=open_data_root,
        )

    def drop(self) -> None:
        for store in self.stores.values():
            store.drop()
        self.stores.clear()
        self.loaded.clear()


_demo_cache = _DemoCache()


@contextlib.contextmanager
def demo_network_installed(*, seed: int = SEED) -> Iterator[LoadedDemo]:
    """The test database holds the demo network inside the block, and what it held before after.

    Enter it outside any transaction: before the test's own (see the module's docstring).
    """
    demo, store = _demo_cache.get(seed=seed)
    store.install()
    # The demo's communes may carry other ids than those of the database it replaces: a
    # transactional test reloads the reference data under new ids (see ensure_reference_data).
    communes_index_clear()
    try:
        yield demo
    finally:
        store.uninstall()
        communes_index_clear()


def drop_demo_network() -> None:
    """Forget the demo of this process (on PostgreSQL, drop its database): at the session's end."""
    _demo_cache.drop()


class DemoNetworkTestCase(TestCase):
    """A `TestCase` whose tests run on the demo network (seed `demo_seed`), rolled back after each.

    `cls.demo` is the `LoadedDemo`; `setUpTestData` may read the demo but need not load it.
    """

    demo_seed = SEED
    demo: LoadedDemo

    @classmethod
    def setUpClass(cls):
        # Before super(): the class's transaction is opened on the database the demo is in.
        cls.demo = cls.enterClassContext(demo_network_installed(seed=cls.demo_seed))
        super().setUpClass()
