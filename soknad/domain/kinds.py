"""The four kinds of application as data: which named checks apply to which kind.

Veileder for nasjonale tjenester i spesialisthelsetjenesten (kap. 4.1) names four kinds:
establishment, change of content, change of name and termination. What a form asks of each
kind is in the form definitions (``kinds`` on a point or a field, ``[[only_for]]`` in a newer
version, ``forms/README.md``); which *named checks* apply is this table, in one place, so that a
rule made for a new service (the English name, the patient volume, result goals within the
term) never blocks a termination.

A check that is not in the table applies to every kind whose form has its field.
"""

from __future__ import annotations

from collections.abc import Mapping

from soknad.domain.service_types import ApplicationKind

ESTABLISHMENT = ApplicationKind.ESTABLISHMENT
CHANGE_OF_CONTENT = ApplicationKind.CHANGE_OF_CONTENT
CHANGE_OF_NAME = ApplicationKind.CHANGE_OF_NAME
TERMINATION = ApplicationKind.TERMINATION

# Which kinds each named check (``soknad.domain.rules.CHECKS``) applies to, and why.
CHECK_KINDS: Mapping[str, frozenset[ApplicationKind]] = {
    # Vedlegg 4: an English name is proposed "ved opprettelse" – and a new name is a new
    # English name too.
    "english_name": frozenset({ESTABLISHMENT, CHANGE_OF_NAME}),
    # Kriterier for nasjonale behandlingstjenester: 20–200 new patients a year, for what the
    # service will do (a new or a changed service).
    "patient_volume": frozenset({ESTABLISHMENT, CHANGE_OF_CONTENT}),
    # A multi-regional service at two health trusts in two regions (veilederen kap. 2): asked
    # of a new or changed service; a rename or termination keeps the places it has.
    "two_regions": frozenset({ESTABLISHMENT, CHANGE_OF_CONTENT}),
    # Measurable result goals within the term (vedlegg 6, punkt 10 / 9).
    "result_goals": frozenset({ESTABLISHMENT, CHANGE_OF_CONTENT}),
    # Overlap with approved services: for what a new or changed service will cover.
    "registry_overlap": frozenset({ESTABLISHMENT, CHANGE_OF_CONTENT}),
    # Termination: at least 18 months from the application to the end (Kriterier for
    # etablering, endring og avvikling).
    "termination_notice": frozenset({TERMINATION}),
    # What the guides require beyond Appendix 6 (guide_checks): the reference group, the
    # coordinating region, the private provider's agreement, "no patient treatment", the
    # baselines and the regions' agreement describe a new or changed service.
    **dict.fromkeys(("reference_group", "coordinating_region", "confirmation",
                     "baseline_per_goal", "agreement_all_regions"),
                    frozenset({ESTABLISHMENT, CHANGE_OF_CONTENT})),
}


def check_applies(rule: str, kind: ApplicationKind) -> bool:
    """The named check ``rule`` is run for an application of this kind."""
    return kind in CHECK_KINDS.get(rule, frozenset(ApplicationKind))


def needs_registry_service(kind: ApplicationKind) -> bool:
    """Change, rename and termination concern an approved service, picked from the registry."""
    return kind is not ESTABLISHMENT
