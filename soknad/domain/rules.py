"""The rules that turn an application into findings.

Two kinds of rules:

* **field rules**, which follow from a field's definition in ``forms/*.toml`` (required,
  word limit, ICD-10 codes, table rows, evidence, …) and apply to every form;
* **named checks** (``CHECKS``), switched on per form with ``[[checks]]`` in the TOML and given
  their parameters there: the English name (Appendix 4), patient volume (seed 003), two health
  trusts in two regions, and measurable result goals within the term.

``check_application`` is the one entry point; the web form, the submit guard, the coordinator's
view and ``soknad check`` all call it, so a rule is written once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from email_validator import EmailNotValidError, validate_email

from soknad.domain import blocking, decisions, icd10, overlap, registry_pick, termination
from soknad.domain.calendar import GUIDE
from soknad.domain.findings import Finding, Severity
from soknad.domain.formspec import Check, ColumnKind, Field, FieldKind, FormSpec, Section
from soknad.domain.guide_checks import GUIDE_CHECKS
from soknad.domain.limits import over_limits
from soknad.domain.organisations import OrganisationEntry, OrgKind, Region
from soknad.domain.registry import RegistryService
from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.domain.text import count_words
from soknad.domain.values import (
    format_date,
    items_of,
    numbered_rows,
    parse_date,
    parse_decimal,
    parse_int,
    row_has_content,
    rows_of,
    text_of,
)

Answers = Mapping[str, Any]


@dataclass(frozen=True)
class AttachmentRef:
    """What the rules need to know about an attachment: which field it documents."""

    field: str
    name: str


@dataclass(frozen=True)
class RuleContext:
    kind: ApplicationKind
    round_year: int
    applicant_organisation: str = ""
    applicant_region: Region | None = None
    organisations: tuple[OrganisationEntry, ...] = ()
    attachments: tuple[AttachmentRef, ...] = ()
    registry: tuple[RegistryService, ...] = ()
    service_type: ServiceType | None = None  # the form's; a registry pick must be of it

    def attachments_for(self, field_id: str) -> list[AttachmentRef]:
        return [attachment for attachment in self.attachments if attachment.field == field_id]

    @property
    def effective_start(self) -> date:
        """Approvals take effect 1 January after the decision year (002 ch. II.1)."""
        return decisions.takes_effect(self.round_year)


@dataclass(frozen=True)
class _Where:
    """Where a finding belongs: builds findings with the section, field and quote filled in."""

    section: Section
    spec_field: Field

    def finding(self, rule: str, message: str, severity: Severity = Severity.BLOCKING, *,
                source: str | None = None, quote: str | None = None) -> Finding:
        return Finding(
            rule=rule, section=self.section.id, point=self.section.number,
            field=self.spec_field.id, severity=severity, message=message,
            source=self.spec_field.source or self.section.source if source is None else source,
            quote=self.spec_field.quote or self.section.quote if quote is None else quote,
            reason=blocking.reason(rule, self.spec_field) if severity is Severity.BLOCKING
            else "",
        )


# --------------------------------------------------------------------------- entry point


def check_application(spec: FormSpec, answers: Answers, context: RuleContext) -> list[Finding]:
    """Every finding for the application, in the order of the form: the points, fields and
    named checks of the application's kind (``FormSpec.for_kind``, ``domain.kinds``)."""
    findings: list[Finding] = []
    spec = spec.for_kind(context.kind)
    for section, spec_field in spec.fields():
        findings.extend(_check_field(_Where(section, spec_field), answers, context))
    for check in spec.checks:
        where = _Where(spec.section_of(check.params["field"]), spec.field(check.params["field"]))
        findings.extend(CHECKS[check.rule].run(where, check.params, answers, context))
    order = {section.id: index for index, section in enumerate(spec.sections)}
    return sorted(findings, key=lambda finding: order[finding.section])


def is_empty(spec_field: Field, value: Any, context: RuleContext) -> bool:
    match spec_field.kind:
        case FieldKind.ICD10_LIST:
            return not items_of(value)
        case FieldKind.TABLE:
            return not rows_of(value)
        case FieldKind.EVIDENCE:
            return not items_of(value) and not context.attachments_for(spec_field.id)
        case FieldKind.ATTACHMENT:
            return not context.attachments_for(spec_field.id)
        case _:
            return not text_of(value)


# --------------------------------------------------------------------------- field rules

_REQUIRED_MESSAGES = {
    FieldKind.EVIDENCE: "Dokumentasjon mangler: legg ved et vedlegg eller skriv en henvisning "
    "(for eksempel rapport, artikkel eller nettadresse) i «{label}».",
    FieldKind.ATTACHMENT: "Legg ved «{label}».",
    FieldKind.ICD10_LIST: "Skriv minst én ICD-10-kode i «{label}».",
    FieldKind.CHOICE: "Velg et svar i «{label}».",
    FieldKind.ORGANISATION: "Velg helseforetak i «{label}».",
    FieldKind.REGISTRY_SERVICE: "Velg tjenesten i «{label}» fra listen over godkjente "
    "nasjonale tjenester.",
}


def _check_field(where: _Where, answers: Answers, context: RuleContext) -> Iterator[Finding]:
    spec_field = where.spec_field
    value = answers.get(spec_field.id)
    if is_empty(spec_field, value, context):
        if spec_field.is_required(answers):
            if spec_field.kind is FieldKind.TABLE and (
                spec_field.row_per_region or spec_field.min_rows
            ):  # "Helse Vest mangler …" / "minst 3 fullstendige rader" says more than "fill in"
                yield from _check_table(where, [], context)
                return
            template = _REQUIRED_MESSAGES.get(spec_field.kind, "«{label}» må fylles ut.")
            yield where.finding("required", template.format(label=spec_field.label))
        return
    for problem in over_limits(spec_field, value):
        yield where.finding("limit", problem, source="", quote="")
    yield from _FIELD_CHECKS.get(spec_field.kind, _no_checks)(where, value, context)


def _no_checks(where: _Where, value: Any, context: RuleContext) -> Iterator[Finding]:
    return iter(())


def _check_text(where: _Where, value: Any, context: RuleContext) -> Iterator[Finding]:
    spec_field, text = where.spec_field, text_of(value)
    if spec_field.max_words is not None:
        words = count_words(text)
        if words > spec_field.max_words:
            yield where.finding(
                "max_words",
                f"«{spec_field.label}» har {words} ord; høyst {spec_field.max_words} ord er "
                f"tillatt. Fjern {words - spec_field.max_words} ord.",
            )
    if spec_field.input_type == "email":
        try:
            validate_email(text, check_deliverability=False)
        except EmailNotValidError:
            yield where.finding(
                "email", f"«{text}» er ikke en gyldig e-postadresse. Skriv den som navn@domene.no.",
                source="", quote="",
            )


def _check_number(where: _Where, value: Any, context: RuleContext) -> Iterator[Finding]:
    spec_field, number = where.spec_field, parse_int(text_of(value))
    if number is None:
        yield where.finding(
            "number", f"«{spec_field.label}» må være et heltall (bare sifre), fikk «{value}».",
        )
        return
    low, high = spec_field.min_value, spec_field.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        yield where.finding(
            "number", f"«{spec_field.label}» må være mellom {low} og {high}.",
        )


def _check_date(where: _Where, value: Any, context: RuleContext) -> Iterator[Finding]:
    if parse_date(text_of(value)) is None:
        yield where.finding(
            "date", f"«{where.spec_field.label}» må være en gyldig dato (dd.mm.åååå), "
            f"fikk «{value}».", source="", quote="",
        )


def _check_choice(where: _Where, value: Any, context: RuleContext) -> Iterator[Finding]:
    if text_of(value) not in {choice.value for choice in where.spec_field.choices}:
        yield where.finding("choice", f"Velg et av svarene i «{where.spec_field.label}».")


def _check_organisation(where: _Where, value: Any, context: RuleContext) -> Iterator[Finding]:
    names = {entry.name for entry in context.organisations if entry.kind is OrgKind.HF}
    if text_of(value) not in names:
        yield where.finding(
            "organisation", f"«{value}» er ikke et helseforetak i organisasjonslisten.",
        )


def _check_registry_service(where: _Where, value: Any,
                            context: RuleContext) -> Iterator[Finding]:
    problem = registry_pick.pick_problem(text_of(value), context.registry, context.service_type,
                                         where.spec_field.label)
    if problem:
        yield where.finding("registry_service", problem)


def _check_icd10(where: _Where, value: Any, context: RuleContext) -> Iterator[Finding]:
    invalid = [code for code in items_of(value) if not icd10.is_valid(icd10.normalise(code))]
    if invalid:
        codes = ", ".join(f"«{code}»" for code in invalid)
        yield where.finding(
            "icd10",
            f"{codes} finnes ikke i WHO ICD-10. Skriv koden som bokstav og to sifre, eventuelt "
            "med punktum og undergruppe (for eksempel C40 eller C40.1), eller et område (Q20-Q28).",
        )


def _check_evidence(where: _Where, value: Any, context: RuleContext) -> Iterator[Finding]:
    return iter(())  # non-empty evidence is enough; attachments are checked when uploaded


def _cell_problem(kind: ColumnKind, text: str, choices: set[str]) -> str | None:
    match kind:
        case ColumnKind.NUMBER if parse_int(text) is None:
            return "må være et heltall"
        case ColumnKind.PERCENT:
            share = parse_decimal(text)
            if share is None or not 1 <= share <= 100:
                return "må være et tall mellom 1 og 100 (prosent av full stilling)"
        case ColumnKind.DATE if parse_date(text) is None:
            return "må være en gyldig dato (dd.mm.åååå)"
        case ColumnKind.CHOICE if text not in choices:
            return "må være et av valgene"
    return None


def _row_problems(spec_field: Field, row: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(labels of required cells that are empty, descriptions of invalid cells)."""
    missing, invalid = [], []
    for column in spec_field.columns:
        text = text_of(row.get(column.id))
        if not text:
            if column.required:
                missing.append(column.label)
            continue
        problem = _cell_problem(column.kind, text, {choice.value for choice in column.choices})
        if problem:
            invalid.append(f"«{column.label}» {problem} (fikk «{text}»)")
    return missing, invalid


def _check_table(where: _Where, value: Any, context: RuleContext) -> Iterator[Finding]:
    spec_field = where.spec_field
    if spec_field.row_per_region:
        yield from _check_region_table(where, value)
        return
    complete = 0
    first_of: dict[tuple[str, ...], int] = {}  # a row's identity → the number of its first row
    for number, row in numbered_rows(value):
        missing, invalid = _row_problems(spec_field, row)
        if missing:
            yield where.finding(
                "table_row", f"Rad {number} i «{spec_field.label}» mangler: {', '.join(missing)}.",
            )
        for problem in invalid:
            yield where.finding("table_cell", f"Rad {number} i «{spec_field.label}»: {problem}.")
        identity = _row_identity(spec_field, row)
        if identity in first_of:
            yield where.finding("table_repeat", _repeat_message(spec_field, row, number,
                                                                first_of[identity]))
            continue  # the same person (or goal, …) counts once
        first_of[identity] = number
        complete += not missing and not invalid
    if complete < spec_field.min_rows:
        rows = "fullstendig rad" if spec_field.min_rows == 1 else "fullstendige rader"
        yield where.finding(
            "min_rows",
            f"«{spec_field.label}» må ha minst {spec_field.min_rows} {rows} (har {complete}).",
        )


def _row_identity(spec_field: Field, row: Mapping[str, Any]) -> tuple[str, ...]:
    """What tells this row apart from the others: the ``distinct`` columns (all columns when
    none are named), compared without regard to case and spacing."""
    columns = spec_field.distinct or tuple(column.id for column in spec_field.columns)
    return tuple(" ".join(text_of(row.get(column)).casefold().split()) for column in columns)


def _repeat_message(spec_field: Field, row: Mapping[str, Any], number: int, first: int) -> str:
    if not spec_field.distinct:
        return (f"Rad {number} i «{spec_field.label}» er lik rad {first}. Fjern den ene: "
                "samme rad teller bare én gang.")
    names = [spec_field.column(column).label.lower() for column in spec_field.distinct]
    shown = ", ".join(text_of(row.get(column)) for column in spec_field.distinct)
    return (f"Rad {number} i «{spec_field.label}» har samme {' og '.join(names)} som rad "
            f"{first} ({shown}). Hver rad skal være en egen person eller oppføring, så rad "
            f"{number} teller ikke med.")


def _check_region_table(where: _Where, value: Any) -> Iterator[Finding]:
    spec_field = where.spec_field
    by_region = {
        str(row.get("region")): row for row in (value if isinstance(value, list) else [])
        if isinstance(row, Mapping)
    }
    for region in Region:
        row = by_region.get(region.value, {})
        missing, invalid = _row_problems(spec_field, row)
        if missing and not row_has_content(row):
            yield where.finding(
                "all_regions", f"{region.label} mangler i «{spec_field.label}». Alle fire "
                "helseregioner skal være med.",
            )
        elif missing:
            yield where.finding(
                "all_regions", f"{region.label} i «{spec_field.label}» mangler: "
                f"{', '.join(missing)}.",
            )
        for problem in invalid:
            yield where.finding("table_cell", f"{region.label}: {problem}.")


_FIELD_CHECKS: dict[FieldKind, Callable[[_Where, Any, RuleContext], Iterator[Finding]]] = {
    FieldKind.LINE: _check_text,
    FieldKind.TEXT: _check_text,
    FieldKind.NUMBER: _check_number,
    FieldKind.DATE: _check_date,
    FieldKind.CHOICE: _check_choice,
    FieldKind.ORGANISATION: _check_organisation,
    FieldKind.ICD10_LIST: _check_icd10,
    FieldKind.TABLE: _check_table,
    FieldKind.EVIDENCE: _check_evidence,
    FieldKind.REGISTRY_SERVICE: _check_registry_service,
}


# --------------------------------------------------------------------------- named checks

APPENDIX_4 = "Vedlegg 4 til veilederen (engelske navn)"
_LOWERCASE_WORDS = frozenset(
    [
        "a", "an", "the", "and", "or", "nor", "but", "for", "on", "in", "of", "at", "by", "to",
        "from", "with", "without", "into", "onto", "upon", "via", "versus", "vs", "over", "under",
        "between", "within", "after", "before",
    ]
)


def english_title_case(name: str, *, first: bool = True) -> str:
    """Appendix 4's rule: capitalise every word except articles and prepositions.

    ``first=False`` when ``name`` continues a name (the part after "… Unit for"), so that an
    article or preposition at its start stays lower case too.
    """
    words = name.split(" ")
    result = []
    for index, word in enumerate(words):
        if (index > 0 or not first) and word.lower() in _LOWERCASE_WORDS:
            result.append(word.lower())
        elif word[:1].islower():
            result.append(word[:1].upper() + word[1:])
        else:
            result.append(word)
    return " ".join(result)


def _english_name(where: _Where, params: Mapping[str, Any], answers: Answers,
                  context: RuleContext) -> Iterator[Finding]:
    name = " ".join(text_of(answers.get(where.spec_field.id)).split())
    if not name:
        return
    prefix: str = params["prefix"]
    example: str = params.get("example", "")
    if not name.startswith(prefix + " ") or name == prefix:
        yield where.finding(
            "english_name",
            f"Det engelske navnet skal begynne med «{prefix} …»"
            + (f", for eksempel «{example}»." if example else "."),
            source=APPENDIX_4, quote=params.get("quote", ""),
        )
        return
    suggestion = prefix + " " + english_title_case(name.removeprefix(prefix + " "), first=False)
    if suggestion != name:
        yield where.finding(
            "english_name_case",
            f"Bruk stor forbokstav i alle ord unntatt artikler og preposisjoner: «{suggestion}».",
            Severity.WARNING, source=APPENDIX_4,
            quote="Konvensjonen er at man bruker store bokstaver i alle ord i et navn unntatt "
            "artikler og preposisjoner.",
        )


def _patient_volume(where: _Where, params: Mapping[str, Any], answers: Answers,
                    context: RuleContext) -> Iterator[Finding]:
    volume = parse_int(text_of(answers.get(where.spec_field.id)))
    if volume is None:
        return
    low, high = int(params.get("low", 20)), int(params.get("high", 200))
    source = "Kriterier for nasjonale behandlingstjenester"
    quote = ("Aktuelt pasientvolum: Anslagsvis 20 - 200 nye pasienter eller "
             "behandlingsprosedyrer pr. år.")
    if volume < low:
        yield where.finding(
            "patient_volume_low",
            f"{volume} nye pasienter i året er under {low}. Veilederen råder: «< 20: Vurdere "
            "overnasjonal løsning». Forklar hvorfor en nasjonal tjeneste likevel er riktig.",
            Severity.WARNING, source=source, quote=quote,
        )
    elif volume > high:
        yield where.finding(
            "patient_volume_high",
            f"{volume} nye pasienter i året er over {high}. Veilederen råder: «> 200: Vurdere "
            "deling av funksjonen». Forklar hvorfor funksjonen ikke bør deles.",
            Severity.WARNING, source=source, quote=quote,
        )


def _two_regions(where: _Where, params: Mapping[str, Any], answers: Answers,
                 context: RuleContext) -> Iterator[Finding]:
    partner = text_of(answers.get(where.spec_field.id))
    if not partner:
        return
    source = f"{GUIDE}, kap. 2"
    quote = ("En flerregional behandlingstjeneste er èn tjeneste lokalisert til to helseforetak i "
             "to ulike helseregioner.")
    partner_region = next(
        (entry.region for entry in context.organisations if entry.name == partner), None
    )
    if partner == context.applicant_organisation:
        yield where.finding(
            "two_regions", "Det andre helseforetaket kan ikke være søkerens eget helseforetak.",
            source=source, quote=quote,
        )
    elif partner_region is not None and partner_region == context.applicant_region:
        yield where.finding(
            "two_regions",
            f"{partner} ligger i samme helseregion ({partner_region.label}) som søkeren. En "
            "flerregional tjeneste skal ligge i to ulike helseregioner.",
            source=source, quote=quote,
        )


_GOALS_SOURCE = "Helhetlig gjennomgang av nasjonale kompetansetjenester (2018), kap. 3.4"
_GOALS_QUOTE = (
    "Det forutsettes at resultatmål for tjenesten er målbare og er basert på en 5-års "
    "tidshorisont. Det skal fremgå når resultatmålene for tjenesten er forutsatt å være oppfylt."
)


def _result_goals(where: _Where, params: Mapping[str, Any], answers: Answers,
                  context: RuleContext) -> Iterator[Finding]:
    due_column: str = params["due_column"]
    target_column: str = params.get("target_column", "")
    terms: Mapping[str, int] = params.get("terms", {})
    years = terms.get(text_of(answers.get(params.get("function_field", ""))))
    start = context.effective_start
    last_day = decisions.period_end(start, years) if years else None
    for number, row in numbered_rows(answers.get(where.spec_field.id)):
        due = parse_date(text_of(row.get(due_column)))
        if due is not None and due < start:
            yield where.finding(
                "result_goal_date",
                f"Resultatmål {number} har frist {format_date(due)}, før tjenesten tidligst kan "
                f"starte {format_date(start)}.", Severity.WARNING,
            )
        if due is not None and last_day is not None and due > last_day:
            yield where.finding(
                "result_goal_term",
                f"Resultatmål {number} har frist {format_date(due)}, etter at virketiden på "
                f"{years} år er slutt ({format_date(last_day)}). "
                "Sett en frist innenfor virketiden.",
                source=f"{GUIDE}, kap. 2",
                quote="En nasjonal kompetansetjeneste kan enten ha funksjonen \"opplæring\" med en "
                "virketid på 5 år eller funksjonen \"kompetanseoppbygging\" med en virketid på "
                "10 år.",
            )
        target = text_of(row.get(target_column)) if target_column else ""
        if target and not re.search(r"\d", target):
            yield where.finding(
                "result_goal_measurable",
                f"Målverdien «{target}» i resultatmål {number} inneholder ikke et tall. "
                "Resultatmål skal være målbare: skriv for eksempel en andel, et antall eller en "
                "dato.", Severity.WARNING, source=_GOALS_SOURCE, quote=_GOALS_QUOTE,
            )


_OVERLAP_SOURCE = "Helhetlig gjennomgang av nasjonale kompetansetjenester (2018), kap. 4.1.5"
_OVERLAP_QUOTE = (
    "Andre tjenester synes å ha et overlappende ansvarsområde og burde ha avklart sitt "
    "ansvarsområde."
)


def _registry_overlap(where: _Where, params: Mapping[str, Any], answers: Answers,
                      context: RuleContext) -> Iterator[Finding]:
    """Shared ICD-10 codes, a similar name or a similar description (``soknad.domain.overlap``);
    with ``clarify_field`` (a table of service and division of responsibilities), met when every
    service named has a row."""
    found = overlap.find_overlaps(
        overlap.index_of(context.registry),
        codes=[code for code in (icd10.normalise(item)
                                 for item in items_of(answers.get(where.spec_field.id)))
               if icd10.is_valid(code)],
        name=text_of(answers.get(params.get("name_field", ""))),
        description=text_of(answers.get(params.get("description_field", ""))),
        exclude=text_of(answers.get(params.get("exclude_field", ""))),
    )
    clarify = params.get("clarify_field", "")
    if clarify:
        rows = rows_of(answers.get(clarify))
        found = [item for item in found if not any(
            text_of(row.get("avklaring")) and overlap.is_service(item.service,
                                                                   text_of(row.get("tjeneste")))
            for row in rows)]
    if not found:
        return
    parts = "; ".join(f"{item.service.name_nb} ({'; '.join(item.reasons)})" for item in found)
    todo = ("Beskriv i «Ansvarsavklaring mot godkjente tjenester» hvordan ansvaret er fordelt "
            "mot hver av dem: én rad per tjeneste." if clarify
            else "Beskriv avgrensningen mot disse tjenestene.")
    yield where.finding(
        "registry_overlap",
        f"Godkjente nasjonale tjenester dekker noe av det samme: {parts}. {todo}",
        Severity.WARNING, source=_OVERLAP_SOURCE, quote=_OVERLAP_QUOTE,
    ).with_links(tuple((item.service.name_nb, item.service.key) for item in found))


@dataclass(frozen=True)
class NamedCheck:
    run: Callable[[_Where, Mapping[str, Any], Answers, RuleContext], Iterator[Finding]]
    params: frozenset[str]  # required parameters besides "field"
    optional: frozenset[str] = frozenset()
    field_kinds: frozenset[FieldKind] = frozenset(FieldKind)


CHECKS: dict[str, NamedCheck] = {
    "english_name": NamedCheck(_english_name, frozenset({"prefix"}),
                               frozenset({"example", "quote"}), frozenset({FieldKind.LINE})),
    "patient_volume": NamedCheck(_patient_volume, frozenset(), frozenset({"low", "high"}),
                                 frozenset({FieldKind.NUMBER})),
    "two_regions": NamedCheck(_two_regions, frozenset(), frozenset(),
                              frozenset({FieldKind.ORGANISATION})),
    "registry_overlap": NamedCheck(_registry_overlap, frozenset(),
                                   frozenset({"name_field", "description_field",
                                              "exclude_field", "clarify_field"}),
                                   frozenset({FieldKind.ICD10_LIST})),
    "result_goals": NamedCheck(_result_goals, frozenset({"due_column"}),
                               frozenset({"target_column", "function_field", "terms"}),
                               frozenset({FieldKind.TABLE})),
    # What the guides require beyond Appendix 6 (soknad/domain/guide_checks.py).
    **{name: NamedCheck(*entry) for name, entry in GUIDE_CHECKS.items()},
    "termination_notice": NamedCheck(termination.notice_check, frozenset(),
                                     frozenset({"months"}), frozenset({FieldKind.DATE})),
}


def validate_check(check: Check, field_kinds: Mapping[str, FieldKind]) -> str | None:
    """A problem with a ``[[checks]]`` entry in a form definition, or None if it is sound."""
    named = CHECKS.get(check.rule)
    if named is None:
        return f"ukjent kontroll; kjente er {sorted(CHECKS)}"
    given = set(check.params)
    if "field" not in given:
        return "mangler «field»"
    kind = field_kinds.get(check.params["field"])
    if kind is None:
        return f"ukjent felt {check.params['field']!r}"
    if kind not in named.field_kinds:
        return f"feltet {check.params['field']!r} har typen {kind}, som kontrollen ikke gjelder"
    missing = named.params - given
    if missing:
        return f"mangler {sorted(missing)}"
    unknown = given - named.params - named.optional - {"field"}
    if unknown:
        return f"ukjente parametre {sorted(unknown)}"
    return None
