"""Cache of what the public site computes (facet counts, map data, pages), and its invalidation.

Everything cached here lives under one version number. Any change to a record the public
site shows bumps it (signals on the models registered below), so a cached value is never
served after a change; old versions simply expire. Writes that bypass signals (bulk imports,
raw SQL) call `bump_public_version()` themselves when they finish.
"""

import random
import threading
import time
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "public-data-version"
DEFAULT_TIMEOUT = 15 * 60

# The records the public pages read. Apps that publish more add theirs with watch_public_model.
PUBLIC_MODELS = [
    "organizations.Organization",
    "organizations.Affiliation",
    "organizations.Membership",
    "organizations.InterventionPlace",
    "organizations.Consent",
    # Read by the cached pages of organisations and projects (portal.records).
    "organizations.Person",
    "organizations.PersonEmail",
    "organizations.OrganizationRelation",
    "groups.GroupMember",
    "events.Sitting",
    "projects.ProjectPhoto",
    "finance.Funding",
    "finance.BudgetVersion",
    "finance.BudgetLine",
    "finance.BudgetAmount",
    "projects.Project",
    "projects.ProjectPlace",
    "projects.ProjectPartner",
    "projects.ProjectUpdate",
    "events.Event",
    "groups.Group",
    "partnerships.Partnership",
    "news.NewsItem",
    "referentials.Theme",
    "referentials.OrganizationKind",
]


def public_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A random start rather than 1: if the key is evicted (the database cache culls entries
        # past its maximum), values cached under an earlier version are never read again.
        cache.add(VERSION_KEY, random.getrandbits(48), None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_public_version(**_signal_kwargs) -> None:
    """Make every cached public value stale (after the transaction commits, if in one)."""

    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not set yet, or evicted
            cache.set(VERSION_KEY, public_version() + 1, None)

    # Now, for readers inside this transaction; and again after the commit, because another
    # process may have cached the old data under the new version in between.
    bump()
    transaction.on_commit(bump)


def cached_public(key: str, compute: Callable[[], Any], timeout: int = DEFAULT_TIMEOUT) -> Any:
    """`compute()`, kept in the cache until the public data changes or `timeout` passes."""
    full_key = f"public:{public_version()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value


_local: dict[tuple[int, str], tuple[float, Any]] = {}
_local_lock = threading.Lock()


def cached_public_local(
    key: str, compute: Callable[[], Any], timeout: int = DEFAULT_TIMEOUT
) -> Any:
    """`cached_public`, plus a copy in this process's memory under the same version, for small
    values that every request reads (the labels of the directory's facets): the shared cache
    would be queried and unpickled each time. Callers must not modify the value."""
    version = public_version()
    found = _local.get((version, key))
    if found is not None and found[0] > time.monotonic():
        return found[1]
    value = cached_public(key, compute, timeout)
    with _local_lock:
        if any(v != version for v, _key in _local):  # the public data changed: forget it all
            _local.clear()
        _local[(version, key)] = (time.monotonic() + timeout, value)
    return value


def watch_public_model(model) -> None:
    """Bump the version whenever a row of `model`, or one of its many-to-many links, changes."""
    uid = f"public-cache-{model._meta.label}"
    post_save.connect(bump_public_version, sender=model, dispatch_uid=uid + "-save")
    post_delete.connect(bump_public_version, sender=model, dispatch_uid=uid + "-delete")
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(
            bump_public_version, sender=field.remote_field.through, dispatch_uid=uid + field.name
        )


def watch_public_models() -> None:
    for label in PUBLIC_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:  # an app left out of INSTALLED_APPS
            continue
        watch_public_model(model)
