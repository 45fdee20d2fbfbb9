"""Rendered pieces of pages that cost much to render and change only with what they show.

A piece is kept under a key that names everything it shows (see the callers), for the keys
used last. Nothing is ever invalidated: a change of what a piece shows is a new key.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from markupsafe import Markup

from soknad.memo import Kept

# A point's fields are 5–60 KB of HTML: a few hundred keep the drafts being worked on.
_rendered: Kept[Markup] = Kept(maxsize=256)


def cached(key: Hashable | None, render: Callable[[], Markup]) -> Markup:
    """``render()``, or what it gave for ``key`` before; ``key`` None: always render."""
    return _rendered.get(key, render)


def clear() -> None:
    """Forget every kept piece (the benchmark measures pages with nothing kept)."""
    _rendered.clear()
