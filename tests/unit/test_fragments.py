"""Kept pieces of pages: rendered once per key, always rendered without a key."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from soknad.web import fragments


def counting_renderer(calls: list[int]) -> Callable[[], Markup]:
    def render() -> Markup:
        calls.append(1)
        return Markup(f"<p>utgave {len(calls)}</p>")
    return render


def test_a_piece_is_rendered_once_per_key() -> None:
    fragments.clear()
    calls: list[int] = []
    render = counting_renderer(calls)
    first = fragments.cached(("felt", 1, "p1"), render)
    again = fragments.cached(("felt", 1, "p1"), render)
    other = fragments.cached(("felt", 2, "p1"), render)  # a new revision is a new key
    assert (first, again, other) == ("<p>utgave 1</p>", "<p>utgave 1</p>", "<p>utgave 2</p>")
    assert len(calls) == 2


def test_without_a_key_the_piece_is_always_rendered() -> None:
    calls: list[int] = []
    render = counting_renderer(calls)
    assert fragments.cached(None, render) == "<p>utgave 1</p>"
    assert fragments.cached(None, render) == "<p>utgave 2</p>"


def test_clear_forgets_every_piece() -> None:
    calls: list[int] = []
    render = counting_renderer(calls)
    fragments.cached(("nav", 7), render)
    fragments.clear()
    assert fragments.cached(("nav", 7), render) == "<p>utgave 2</p>"
