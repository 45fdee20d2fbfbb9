"""Rådgivingsgruppen's recommendation: the input check, which recommendation a decision rests
on, and the rule that refuses a decision without one (every kind) or one that differs from it
without reasons."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from soknad.domain.advisory import (
    MISSING,
    MISSING_AFTER_POSTPONEMENT,
    REQUIRED_FOR,
    Recommendation,
    Recorded,
    check_decision,
    check_input,
    current,
    deviation_message,
    differs,
    sentence,
)
from soknad.domain.decisions import DecisionKind
from soknad.domain.errors import DomainError
from soknad.domain.service_types import ApplicationKind

TODAY = date(2027, 11, 20)
SENT = date(2027, 1, 15)
MEETING = date(2027, 11, 12)


def at(day: int) -> datetime:
    return datetime(2027, 11, day, 10, tzinfo=UTC)


@pytest.mark.parametrize(("recommendation", "meeting", "text", "problems"), [
    ("approved", MEETING, "Godt dokumentert behov.", {}),
    ("postponed", TODAY, "Mangler tall.", {}),
    ("rejected", SENT, "Dekkes av en eksisterende tjeneste.", {}),
    ("", MEETING, "Tekst", {"anbefaling": "Velg hva Rådgivingsgruppen anbefaler: godkjenning, "
                                          "avslag eller utsettelse."}),
    ("godkjent", MEETING, "Tekst", {"anbefaling": "Velg hva Rådgivingsgruppen anbefaler: "
                                                  "godkjenning, avslag eller utsettelse."}),
    ("approved", None, "Tekst", {"motedato": "Skriv datoen for møtet i Rådgivingsgruppen, for "
                                             "eksempel 2027-11-12."}),
    ("approved", date(2027, 11, 21), "Tekst",
     {"motedato": "Møtedatoen kan ikke være en dag som ikke har kommet ennå. Registrer "
                  "anbefalingen etter møtet."}),
    ("approved", date(2027, 1, 14), "Tekst",
     {"motedato": "Møtedatoen kan ikke være før søknaden kom til Helsedirektoratet "
                  "(15. januar 2027)."}),
    ("approved", MEETING, "  \n ",
     {"anbefaling_begrunnelse": "Skriv kort hvorfor Rådgivingsgruppen anbefaler dette."}),
    ("approved", MEETING, "x" * 2001,
     {"anbefaling_begrunnelse": "Begrunnelsen er 2001 tegn; den kan ha høyst 2000. Teksten står "
                                "under; kort den ned."}),
])
def test_what_is_typed_is_checked(recommendation: str, meeting: date | None, text: str,
                                  problems: dict[str, str]) -> None:
    assert check_input(recommendation, meeting, text, today=TODAY, submitted_on=SENT) == problems


@pytest.mark.parametrize(("recommendation", "meeting", "expected"), [
    (Recommendation.APPROVE, date(2027, 11, 12),
     "Rådgivingsgruppen anbefalte godkjenning (møte 12. november 2027)"),
    (Recommendation.REJECT, date(2027, 10, 1),
     "Rådgivingsgruppen anbefalte avslag (møte 1. oktober 2027)"),
    (Recommendation.POSTPONE, date(2028, 3, 3),
     "Rådgivingsgruppen anbefalte utsettelse (møte 3. mars 2028)"),
])
def test_the_sentence_the_pages_and_the_letter_show(recommendation: Recommendation,
                                                    meeting: date, expected: str) -> None:
    assert sentence(recommendation, meeting) == expected


@pytest.mark.parametrize(("recommendation", "label"), [
    (Recommendation.APPROVE, "Anbefaler godkjenning"),
    (Recommendation.REJECT, "Anbefaler avslag"),
    (Recommendation.POSTPONE, "Anbefaler utsettelse"),
])
def test_the_choices_read_as_the_guide_words_them(recommendation: Recommendation,
                                                  label: str) -> None:
    assert recommendation.label == label
    assert recommendation.decision.value == recommendation.value


APPROVE = Recorded(Recommendation.APPROVE, MEETING, at(12))
REJECT = Recorded(Recommendation.REJECT, MEETING, at(13))
USED = Recorded(Recommendation.POSTPONE, MEETING, at(14), used=True)


@pytest.mark.parametrize(("recorded", "expected"), [
    ([], None),
    ([APPROVE], APPROVE),
    ([APPROVE, REJECT], REJECT),  # the latest
    ([REJECT, APPROVE], REJECT),  # by time, not by order given
    ([USED], None),  # a decision after a postponement needs a new one
    ([APPROVE, USED], APPROVE),
])
def test_the_decision_rests_on_the_latest_unused_recommendation(
        recorded: list[Recorded], expected: Recorded | None) -> None:
    assert current(recorded) == expected


def test_every_kind_needs_the_recommendation() -> None:
    """The guide's flow (ch. II.1) for every application, and ch. IV for a termination."""
    assert frozenset(ApplicationKind) == REQUIRED_FOR


@pytest.mark.parametrize("kind", list(ApplicationKind))
@pytest.mark.parametrize(("decision", "recommended", "reasons", "refusal"), [
    (DecisionKind.APPROVED, None, "Begrunnet.", MISSING),
    (DecisionKind.REJECTED, None, "Begrunnet.", MISSING),
    (DecisionKind.POSTPONED, None, "Begrunnet.", MISSING),
    (DecisionKind.APPROVED, APPROVE, "", None),
    (DecisionKind.APPROVED, REJECT, "",
     deviation_message(Recommendation.REJECT, MEETING)),
    (DecisionKind.APPROVED, REJECT, "Nye tall fra RHF-et viser behovet.", None),
    (DecisionKind.REJECTED, APPROVE, " ",
     deviation_message(Recommendation.APPROVE, MEETING)),
    (DecisionKind.REJECTED, REJECT, "Dekkes allerede.", None),
    (DecisionKind.POSTPONED, APPROVE, "Trenger mer utredning.", None),
])
def test_a_decision_needs_the_recommendation_and_reasons_to_differ(
        kind: ApplicationKind, decision: DecisionKind, recommended: Recorded | None,
        reasons: str, refusal: str | None) -> None:
    if refusal is None:
        check_decision(decision, kind, reasons, recommended)
        assert differs(decision, recommended) == (recommended is not None
                                                  and recommended.recommendation.value
                                                  != decision.value)
    else:
        with pytest.raises(DomainError) as raised:
            check_decision(decision, kind, reasons, recommended)
        assert str(raised.value) == refusal


def test_after_a_postponement_the_message_asks_for_a_new_recommendation() -> None:
    with pytest.raises(DomainError) as raised:
        check_decision(DecisionKind.APPROVED, ApplicationKind.ESTABLISHMENT, "", None,
                       after_postponement=True)
    assert str(raised.value) == MISSING_AFTER_POSTPONEMENT
    assert "etter utsettelsen" in MISSING_AFTER_POSTPONEMENT
