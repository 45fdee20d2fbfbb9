"""Values kept for the keys used last, shared by a worker's threads (the checked drafts, the
rendered pieces of pages). Nothing is ever invalidated: a change of what a value depends on
must be a new key."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import LRUCache

V = TypeVar("V")


class Kept(Generic[V]):
    def __init__(self, maxsize: int) -> None:
        self._values: LRUCache[Hashable, V] = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()

    def get(self, key: Hashable | None, make: Callable[[], V]) -> V:
        """``make()``, or what it gave for ``key`` before; ``key`` None: always ``make()``."""
        if key is None:
            return make()
        with self._lock:
            found = self._values.get(key)
        if found is None:
            found = make()
            with self._lock:
                self._values[key] = found
        return found

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
