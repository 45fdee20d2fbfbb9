"""Why a finding stops the application from being sent (shown beside «Hindrer innsending»).

Vedlegg 6 says an application «bør inneholde» its points; what the guides make a *premise* is
stricter: at most 100 words for point 1 with its ICD-10 codes, at least three professionals
(«forutsetningen er minst tre fagpersoner», vedlegg 6 punkt 7) and, for a multi-regional
service, two health trusts in two regions (Veileder for nasjonale tjenester i
spesialisthelsetjenesten, kap. 2). A blocking finding says which of these it is: a premise, an
answer that is missing, or an answer that cannot be read. Findings that do not block are
recommendations («Anbefales»).
"""

from __future__ import annotations

from soknad.domain.formspec import Field, FieldKind

PREMISE = "forutsetning i veilederen"
MISSING = "opplysningen mangler"
INVALID = "svaret kan ikke leses"
RULE_OF_GUIDE = "krav i veilederen"

# The fewest rows that make a table's minimum a premise: the three professionals of point 7.
PREMISE_MIN_ROWS = 3

_REASONS = {
    "max_words": PREMISE,
    "icd10": PREMISE,
    "two_regions": PREMISE,
    "required": MISSING,
    "all_regions": MISSING,
    "table_row": MISSING,
    "min_rows": MISSING,
    "english_name": RULE_OF_GUIDE,
    "result_goal_term": RULE_OF_GUIDE,
    "registry_service": INVALID,
    "number": INVALID,
    "date": INVALID,
    "email": INVALID,
    "choice": INVALID,
    "organisation": INVALID,
    "table_cell": INVALID,
    "table_repeat": INVALID,
    "limit": INVALID,
    "applicant_organisation": INVALID,
}


def reason(rule: str, spec_field: Field | None = None) -> str:
    """Why a blocking finding of ``rule`` (at ``spec_field``) blocks, in a few words."""
    if spec_field is not None:
        if spec_field.kind is FieldKind.ICD10_LIST and rule == "required":
            return PREMISE  # «inkl. ICD-10 kode» (vedlegg 6, punkt 1)
        if rule == "min_rows" and spec_field.min_rows >= PREMISE_MIN_ROWS:
            return PREMISE
    return _REASONS.get(rule, MISSING)
