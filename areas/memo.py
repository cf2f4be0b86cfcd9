"""What nearly every request reads and rarely changes (area and unit names, an official's reach,
the filters' choice lists), kept in this process between requests.

Everything kept is kept under the generation token (areas.models.Generation) of the request
that read it; the database replaces the token in the same transaction as any change to areas,
units, assignments, dapils or catalogue items, so every process (every gunicorn worker, every
app server) reads afresh on its first request after a change. The request reads the token
together with its user (areas.backends.ModelBackend): a request with nothing new to read makes
no query for it. Without a token (a user not read by that backend, or no token row) nothing is
kept: each call reads.

What is kept is read on the primary database (PRIMARY), where the token is read with the user
(musrenbang.replica reads users there): a read replica that lags must not fill an entry with
rows older than its token. What is kept is shared by later requests: callers must not change
it.
"""

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS

T = TypeVar("T")

PRIMARY = DEFAULT_DB_ALIAS

# Enough for every official's reach and choice lists of a city; past it, start afresh.
MAX_ENTRIES = 20_000

_MISSING = object()
_kept: tuple[int | None, dict[Hashable, Any]] = (None, {})


def token(user) -> int | None:
    """The generation token read with the request's user, if it was."""
    return getattr(user, "generation_token", None)


def entries(current: int | None) -> dict[Hashable, Any] | None:
    """The entries kept under `current` (emptied when the token moved); None: keep nothing."""
    global _kept
    if current is None:
        return None
    kept_token, kept = _kept
    if kept_token != current:
        kept = {}
        _kept = (current, kept)
    elif len(kept) >= MAX_ENTRIES:
        kept.clear()
    return kept


def remembered(user, key: Hashable, read: Callable[[], T]) -> T:
    """`read()`, kept under `key` until the generation token moves."""
    kept = entries(token(user))
    if kept is None:
        return read()
    value = kept.get(key, _MISSING)
    if value is _MISSING:
        value = kept[key] = read()
    return value


def forget_all() -> None:
    """Drop everything kept, as a fresh process starts (tests: another worker)."""
    global _kept
    _kept = (None, {})
