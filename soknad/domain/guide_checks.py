"""Named checks for what the guides require beyond Appendix 6 (issue #10, item 5).

The fields themselves are in the block «Veiledernes krav» of ``forms/*.v2.toml``; these are the
rules on them that are more than a field property. They are registered in
``soknad.domain.rules.CHECKS`` like the others (``[[checks]] rule = …`` in a form), and each is
documented in ``forms/README.md``:

* ``reference_group`` — the professional reference group: a member from every regional health
  authority and user representatives, one chair, from another region than the service's own
  (Veileder for nasjonale tjenester i spesialisthelsetjenesten, kap. III «Faglige
  referansegrupper»; Kriterier for etablering, endring og avvikling, «Referansegruppenes
  sammensetning»);
* ``coordinating_region`` — a multi-regional service names which of its two regions coordinates
  and reports (the same chapter III);
* ``confirmation`` — a choice that must have one answer (a competence service gives no patient
  treatment, Veileder kap. 2);
* ``baseline_per_goal`` — every result goal has a baseline to measure its effect from
  (Helhetlig gjennomgang av nasjonale kompetansetjenester (2018), kap. 3.4 and 4.4.2);
* ``agreement_all_regions`` — a region that answered «nei» on agreement about the need is a
  warning for the applicant, and ``regions_without_agreement`` is what the RHF's review page
  shows about it.

This module imports nothing from ``rules`` at run time (``rules`` imports it), so the checks get
``where`` (``rules._Where``) and ``context`` (``rules.RuleContext``) as duck-typed arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from soknad.domain.findings import Finding, Severity
from soknad.domain.formspec import FieldKind, FormSpec
from soknad.domain.organisations import Region
from soknad.domain.values import numbered_rows, parse_int, rows_of, text_of

if TYPE_CHECKING:
    from soknad.domain.rules import RuleContext, _Where

Answers = Mapping[str, Any]
Run = Callable[["_Where", Mapping[str, Any], Answers, "RuleContext"], Iterator[Finding]]

OLD_GUIDE = "Veileder for nasjonale tjenester i spesialisthelsetjenesten (Helsedirektoratet)"
CRITERIA = "Kriterier for etablering, endring og avvikling av nasjonale tjenester"
REVIEW_2018 = "Helhetlig gjennomgang av nasjonale kompetansetjenester (2018)"

_GROUP_SOURCE = f"{OLD_GUIDE}, kap. III"
_GROUP_QUOTE = ("Alle referansegrupper skal ha representasjon fra alle regionale helseforetak og "
                "fra brukerorganisasjoner.")
_CHAIR_QUOTE = ("Lederen for referansegruppen bør som hovedregel komme fra en annen helseregion "
                "enn den helseregionen som har ansvar for den nasjonale tjenesten.")


def _region_of_organisation(name: str, context: RuleContext) -> Region | None:
    return next((entry.region for entry in context.organisations if entry.name == name), None)


def service_regions(params: Mapping[str, Any], answers: Answers,
                    context: RuleContext) -> set[Region]:
    """The regions the service lies in: the applicant's, and the partner health trust's when the
    form has one (``partner_field``)."""
    regions = {context.applicant_region} if context.applicant_region else set()
    partner = text_of(answers.get(params.get("partner_field", "")))
    partner_region = _region_of_organisation(partner, context) if partner else None
    if partner_region is not None:
        regions.add(partner_region)
    return regions


def _region(value: str) -> Region | None:
    try:
        return Region(value)
    except ValueError:
        return None


def _reference_group(where: _Where, params: Mapping[str, Any], answers: Answers,
                     context: RuleContext) -> Iterator[Finding]:
    rows = numbered_rows(answers.get(where.spec_field.id))
    if not rows:
        return  # the field's own rules say it is missing
    label = where.spec_field.label
    region_column: str = params["region_column"]
    chair_column: str = params["chair_column"]
    user_value: str = params.get("user_value", "bruker")
    chair_value: str = params.get("chair_value", "ja")
    named = {text_of(row.get(region_column)) for _, row in rows}
    missing = [region.label for region in Region if region.value not in named]
    if missing:
        yield where.finding(
            "reference_group_regions",
            f"«{label}» mangler medlem fra {_join(missing)}. Hvert regionalt helseforetak skal "
            "være representert.", source=_GROUP_SOURCE, quote=_GROUP_QUOTE,
        )
    if user_value not in named:
        yield where.finding(
            "reference_group_users",
            f"«{label}» har ingen brukerrepresentant. Legg til minst én representant fra "
            "brukerorganisasjonene.", source=_GROUP_SOURCE, quote=_GROUP_QUOTE,
        )
    chairs = [(number, row) for number, row in rows
              if text_of(row.get(chair_column)) == chair_value]
    if len(chairs) != 1:
        yield where.finding(
            "reference_group_chair",
            f"Marker én leder i «{label}» (nå {len(chairs)}).",
            source=_GROUP_SOURCE, quote=_CHAIR_QUOTE,
        )
        return
    number, chair = chairs[0]
    chair_region = _region(text_of(chair.get(region_column)))
    own = service_regions(params, answers, context)
    if chair_region is None or chair_region in own:
        where_from = chair_region.label if chair_region else "ingen helseregion"
        yield where.finding(
            "reference_group_chair_region",
            f"Lederen (rad {number}) kommer fra {where_from}. Lederen bør være en av de regionale "
            "representantene fra en annen helseregion enn "
            f"{_join(sorted(region.label for region in own)) or 'tjenestens egen'}.",
            Severity.WARNING, source=_GROUP_SOURCE, quote=_CHAIR_QUOTE,
        )


def _coordinating_region(where: _Where, params: Mapping[str, Any], answers: Answers,
                         context: RuleContext) -> Iterator[Finding]:
    chosen = _region(text_of(answers.get(where.spec_field.id)))
    own = service_regions(params, answers, context)
    if chosen is None or len(own) < 2 or chosen in own:
        return  # an unknown choice is the field's own finding; a missing partner is two_regions'
    yield where.finding(
        "coordinating_region",
        f"{chosen.label} er ikke en av tjenestens to helseregioner "
        f"({_join(sorted(region.label for region in own))}). Velg helseregionen som skal ha "
        "koordineringsansvaret.",
    )


def _confirmation(where: _Where, params: Mapping[str, Any], answers: Answers,
                  context: RuleContext) -> Iterator[Finding]:
    value = text_of(answers.get(where.spec_field.id))
    if value and value != params["expected"]:
        yield where.finding("confirmation", params["message"])


def _baseline_per_goal(where: _Where, params: Mapping[str, Any], answers: Answers,
                       context: RuleContext) -> Iterator[Finding]:
    # The goals by the numbers the user sees (a blank row keeps its place, as in result_goals).
    goals = [number for number, _ in numbered_rows(answers.get(params["goals_field"]))]
    rows = numbered_rows(answers.get(where.spec_field.id))
    if not goals or not rows:
        return
    column: str = params["goal_column"]
    given: set[int] = set()
    for number, row in rows:
        goal = parse_int(text_of(row.get(column)))
        if goal is None:
            continue  # the column's own rule says it must be a whole number
        if goal not in goals:
            yield where.finding(
                "baseline_goal",
                f"Rad {number} i «{where.spec_field.label}» viser til resultatmål {goal}, som "
                f"ikke finnes. Resultatmålene har nummer {_join([str(n) for n in goals])}.",
            )
        given.add(goal)
    missing = [str(goal) for goal in goals if goal not in given]
    if missing:
        yield where.finding(
            "baseline_missing",
            f"Resultatmål {_join(missing)} mangler utgangspunkt i «{where.spec_field.label}». "
            "Uten et utgangspunkt kan ikke effekten av tjenesten dokumenteres.",
            Severity.WARNING,
        )


def _agreement_all_regions(where: _Where, params: Mapping[str, Any], answers: Answers,
                           context: RuleContext) -> Iterator[Finding]:
    regions = disagreeing_regions(answers.get(where.spec_field.id), params)
    if regions:
        yield where.finding(
            "agreement_all_regions",
            f"{_join([region.label for region in regions])} har svart nei på om det er enighet "
            "om behovet. Det regionale helseforetaket får se dette; forklar uenigheten i "
            "kommentaren til forankringen.", Severity.WARNING,
        )


def disagreeing_regions(value: Any, params: Mapping[str, Any]) -> list[Region]:
    column: str = params.get("column", "enighet")
    no = set(params.get("no_values", ["nei"]))
    found = {_region(text_of(row.get("region"))) for row in rows_of(value)
             if text_of(row.get(column)) in no}
    return [region for region in Region if region in found]


def _agreement_checks(spec: FormSpec) -> list[Mapping[str, Any]]:
    """The parameters of the form's ``agreement_all_regions`` checks; forms without one
    (version 1) are read from their per-region table with an ``enighet`` column."""
    checks = [check.params for check in spec.checks if check.rule == "agreement_all_regions"]
    return checks or [{"field": spec_field.id} for _, spec_field in spec.fields()
                      if spec_field.kind is FieldKind.TABLE and spec_field.row_per_region
                      and any(column.id == "enighet" for column in spec_field.columns)]


def regions_without_agreement(spec: FormSpec, answers: Answers) -> list[Region]:
    """The regions that answered «nei» on agreement about the need (point 4 of a treatment
    service, point 3 of a competence service)."""
    found: set[Region] = set()
    for params in _agreement_checks(spec):
        found.update(disagreeing_regions(answers.get(params["field"]), params))
    return [region for region in Region if region in found]


@dataclass(frozen=True)
class Disagreement:
    """What the RHF's review page says when a region answered «nei»: which regions, and the
    point where the applicant answered."""

    regions: tuple[Region, ...]
    section_id: str
    heading: str

    @property
    def region_names(self) -> str:
        return _join([region.label for region in self.regions])


def disagreement(spec: FormSpec, answers: Answers) -> Disagreement | None:
    regions = regions_without_agreement(spec, answers)
    checks = _agreement_checks(spec)
    if not regions or not checks:
        return None
    section = spec.section_of(checks[0]["field"])
    return Disagreement(tuple(regions), section.id, section.heading)


def _join(items: list[str]) -> str:
    """«A», «A og B», «A, B og C»."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]


#: name → (run, required parameters besides "field", optional parameters, field kinds);
#: ``rules.CHECKS`` wraps each in its ``NamedCheck``.
GUIDE_CHECKS: dict[str, tuple[Run, frozenset[str], frozenset[str], frozenset[FieldKind]]] = {
    "reference_group": (_reference_group, frozenset({"region_column", "chair_column"}),
                        frozenset({"user_value", "chair_value", "partner_field"}),
                        frozenset({FieldKind.TABLE})),
    "coordinating_region": (_coordinating_region, frozenset({"partner_field"}), frozenset(),
                            frozenset({FieldKind.CHOICE})),
    "confirmation": (_confirmation, frozenset({"expected", "message"}), frozenset(),
                     frozenset({FieldKind.CHOICE})),
    "baseline_per_goal": (_baseline_per_goal, frozenset({"goals_field", "goal_column"}),
                          frozenset(), frozenset({FieldKind.TABLE})),
    "agreement_all_regions": (_agreement_all_regions, frozenset(),
                              frozenset({"column", "no_values"}), frozenset({FieldKind.TABLE})),
}
