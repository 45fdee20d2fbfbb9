"""What an assessment of an annual report and a request for supplementary reporting must say,
and what a proposal leaves on the service's history."""

from __future__ import annotations

import pytest

from soknad.domain import report_assessment as rules
from soknad.domain.lifecycle import EventKind
from soknad.domain.reports import AssessmentOutcome


@pytest.mark.parametrize(("outcome", "points", "problems"), [
    ("i_orden", "", {}),
    ("i_orden", "Godt arbeid.", {}),
    (" oppfolging ", "Punkt.", {}),
    ("", "", {"vurdering": "Velg Helsedirektoratets vurdering av årsrapporten."}),
    ("godkjent", "", {"vurdering": "Velg Helsedirektoratets vurdering av årsrapporten."}),
    ("oppfolging", " \n ", {"punkter": "Skriv punktene tjenesten skal følge opp."}),
    ("forslag_endring", "", {"punkter": "Skriv hva Helsedirektoratet foreslår å endre, og "
                                        "hvorfor."}),
    ("forslag_avvikling", "", {"punkter": "Skriv hvorfor Helsedirektoratet foreslår å avvikle "
                                          "tjenesten."}),
    ("i_orden", "x" * (rules.MAX_CHARS + 1),
     {"punkter": f"Punktene kan ha høyst {rules.MAX_CHARS} tegn ({rules.MAX_CHARS + 1} nå)."}),
])
def test_what_an_assessment_must_say(outcome: str, points: str,
                                     problems: dict[str, str]) -> None:
    assert rules.assessment_problems(outcome, points) == problems


@pytest.mark.parametrize(("text", "problem"), [
    ("Rapporter resultatmålene.", None),
    ("", "Skriv hva de regionale helseforetakene skal rapportere i tillegg."),
    ("  \n", "Skriv hva de regionale helseforetakene skal rapportere i tillegg."),
    ("x" * (rules.MAX_CHARS + 1),
     f"Teksten kan ha høyst {rules.MAX_CHARS} tegn ({rules.MAX_CHARS + 1} nå)."),
])
def test_what_a_supplement_request_must_say(text: str, problem: str | None) -> None:
    assert rules.supplement_problem(text) == problem


@pytest.mark.parametrize(("outcome", "event"), [
    (AssessmentOutcome.FINE, None),
    (AssessmentOutcome.FOLLOW_UP, None),
    (AssessmentOutcome.PROPOSE_CHANGE, EventKind.PROPOSED_CHANGE),
    (AssessmentOutcome.PROPOSE_TERMINATION, EventKind.PROPOSED_TERMINATION),
])
def test_only_proposals_go_on_the_services_history(outcome: AssessmentOutcome,
                                                   event: EventKind | None) -> None:
    assert rules.PROPOSAL_EVENTS.get(outcome) is event


def test_a_proposals_history_line_names_the_report_and_the_reason() -> None:
    assert rules.proposal_summary(AssessmentOutcome.PROPOSE_TERMINATION, 2026,
                                  "Finnes i\nalle regioner.") == (
        "Helsedirektoratet foreslår avvikling av tjenesten i vurderingen av årsrapport 2026: "
        "Finnes i alle regioner.")
    assert rules.supplement_deadline_text(2026) == "1. september 2027"
