"""Rendered pieces of pages that cost much to render and change only with what they show.

A piece is kept under a key that names everything it shows (see the callers), for the keys
used last. Nothing is ever invalidated: a change of what a piece shows is a new key.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from cachetools import LRUCache
from markupsafe import Markup

# A point's fields are 5–60 KB of HTML: a few hundred keep the drafts being worked on.
_rendered: LRUCache[Hashable, Markup] = LRUCache(maxsize=256)
_lock = threading.Lock()


def cached(key: Hashable | None, render: Callable[[], Markup]) -> Markup:
    """``render()``, or what it gave for ``key`` before; ``key`` None: always render."""
    if key is None:
        return render()
    with _lock:
        found = _rendered.get(key)
    if found is None:
        found = render()
        with _lock:
            _rendered[key] = found
    return found


def clear() -> None:
    """Forget every kept piece (the benchmark measures pages with nothing kept)."""
    with _lock:
        _rendered.clear()
