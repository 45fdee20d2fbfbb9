"""The e-mail outbox as an administrator reads it: how long the oldest message has waited, in
Norwegian, and when that is long enough to mean that e-mail is not getting out.

Plain Python: ``services.mail.outbox_state`` gives the numbers, the admin page shows them.
"""

from __future__ import annotations

from datetime import timedelta

from soknad.domain.words import amount

# The scheduler sends every few minutes (REMINDER_INTERVAL_MINUTES); a message waiting longer
# than this means no sender is running or the SMTP server does not take the mail.
STALE_AFTER = timedelta(minutes=30)


def age_text(age: timedelta) -> str:
    """``timedelta(hours=26, minutes=5)`` → ``"1 døgn og 2 timer"``; the two largest units."""
    minutes = max(0, int(age.total_seconds() // 60))
    if minutes < 1:
        return "under 1 minutt"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        parts = [amount(days, "døgn", "døgn"), amount(hours, "time", "timer") if hours else ""]
    elif hours:
        parts = [amount(hours, "time", "timer"),
                 amount(minutes, "minutt", "minutter") if minutes else ""]
    else:
        parts = [amount(minutes, "minutt", "minutter")]
    return " og ".join(part for part in parts if part)


def is_stale(age: timedelta | None) -> bool:
    return age is not None and age > STALE_AFTER
