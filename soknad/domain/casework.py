"""The rules of Helsedirektoratet's internal notes: not empty, not longer than a note."""

from __future__ import annotations

from soknad.domain.errors import DomainError

NOTE_MAX_CHARS = 4000


def check_note(text: str) -> str:
    """The note as stored (trimmed), or a refusal in Norwegian."""
    text = text.strip()
    if not text:
        raise DomainError("Skriv notatet før du lagrer det.")
    if len(text) > NOTE_MAX_CHARS:
        raise DomainError(f"Notatet er {len(text)} tegn. Et notat kan ha høyst {NOTE_MAX_CHARS} "
                          "tegn; del det i to eller kort det ned.")
    return text
