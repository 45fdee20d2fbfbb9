"""When a point's page shows its findings (Designsystemet and GOV.UK habit): not in red on the
first arrival at a point nobody has worked on, but once it has been saved, or when the person
asks for the check.

"Worked on" is read from what is stored, so it holds without JavaScript and across visits: a
point's stored answers start at version 1 when the draft is created, and every save (the form's
«Lagre» or an autosave) counts the version up; a point that holds answers from the start (a
draft made from an exchange document) has been worked on too."""

from __future__ import annotations

FIRST_VERSION = 1  # models.ApplicationSection.version when the draft is created


def worked_on(version: int, started: bool) -> bool:
    """The point has been saved at least once, or holds answers."""
    return version > FIRST_VERSION or started


def findings_shown(version: int, started: bool, *, asked: bool = False,
                   refused: bool = False) -> bool:
    """Show the point's findings: it was worked on, the person asked for the check
    («Kontroller søknaden» and its links), or a save was just refused (what was typed is shown
    again, checked as typed)."""
    return asked or refused or worked_on(version, started)
