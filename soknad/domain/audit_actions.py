"""The audit log's words: what each action and object type is called in Norwegian, each
action's outcome, and how a logged value is made safe to show (no raw newlines or control
characters reach a page, a CSV file or a log line).

Plain Python: the admin page, the CSV download and the log line all read from here.
"""

from __future__ import annotations

import json
import unicodedata
from enum import StrEnum
from typing import Any

from soknad.domain.workflow import Action


class Outcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return {"success": "Utført", "failure": "Mislyktes", "refused": "Avvist"}[self.value]


# The reads and downloads (``services.audit`` module docstring says which are logged).
VIEW = "view"
DOWNLOAD = "download"
EXPORT = "export"

ACTION_LABELS: dict[str, str] = {
    "login": "Innlogging",
    "logout": "Utlogging",
    "login_failed": "Mislykket innlogging",
    "login_throttled": "Innlogging stanset (for mange forsøk)",
    VIEW: "Åpnet",
    DOWNLOAD: "Lastet ned",
    EXPORT: "Eksporterte",
    "create": "Opprettet søknad",
    "submission": "Ny innsendt versjon",
    Action.SUBMIT: "Sendt inn",
    Action.RETURN: "Returnert for endring",
    Action.ACCEPT: "Godtatt av RHF",
    Action.DECLINE: "Avslått av RHF",
    Action.INCLUDE_IN_JOINT: "Tatt med i samlet søknad",
    Action.SEND_TO_DIRECTORATE: "Sendt til Helsedirektoratet",
    Action.REQUEST_INFORMATION: "Ba om mer informasjon",
    Action.ANSWER_INFORMATION: "Svarte på spørsmål",
    Action.APPROVE: "Vedtak: godkjent",
    Action.REJECT: "Vedtak: avslått",
    Action.POSTPONE: "Vedtak: utsatt",
    Action.ESTABLISH: "Etablert",
    "service_established": "Registrerte tjenesten som etablert",
    "attachment_added": "La ved vedlegg",
    "attachment_removed": "Fjernet vedlegg",
    "comment": "Kommentar fra RHF",
    "partner_comment": "Kommentar fra samarbeidsregion",
    "case_handler": "Saksbehandler satt",
    "internal_note": "Internt notat skrevet",
    "advisory_recommendation": "Rådgivingsgruppens anbefaling registrert",
    "extension": "Utsatt frist for søknad",
    "internal_deadline": "Intern frist satt",
    "regional_rank": "Regional prioritering",
    "coordinating_region": "Koordinerende RHF endret",
    "national_list_propose": "Forslag til nasjonal liste",
    "national_list_move": "Flyttet i nasjonal liste",
    "national_list_refresh": "Nasjonal liste oppdatert",
    "national_list_consent": "Samtykke til nasjonal liste",
    "national_list_dissent": "Dissens til nasjonal liste",
    "national_list_lock": "Nasjonal liste låst",
    "joint_submission_sent": "Samlet søknad sendt",
    "user_created": "Bruker opprettet",
    "user_activated": "Bruker aktivert",
    "user_deactivated": "Bruker deaktivert",
    "user_role_changed": "Rolle endret",
    "user_updated": "Bruker endret",
    "password_link_sent": "Lenke for å sette passord sendt",
    "password_set": "Passord satt med lenke",
    "draft_deleted": "Utkast slettet",
    "mail_retried": "E-post prøvd sendt igjen",
    "docx_template_replaced": "Dokumentmal byttet",
    "docx_template_restored": "Standard dokumentmal tatt i bruk igjen",
    "round_date_added": "Dato lagt til i runde",
    "round_date_deleted": "Dato slettet fra runde",
    "calendar_feed_created": "Kalenderabonnement opprettet",
    "calendar_feed_revoked": "Kalenderabonnement slettet",
    "registry_import": "Register importert",
    # Annual reports: Helsedirektoratet's assessment
    "report_assessed": "Årsrapport vurdert",
    "report_supplement_requested": "Tilleggsrapportering etterspurt",
    # Annual reports: the health trust writes and sends
    "report_approved": "Referansegruppens godkjenning registrert",
    "report_sent": "Årsrapport sendt til RHF",
    # Annual reports: the RHF's inbox
    "report_returned": "Årsrapport returnert for bearbeiding",
    "report_forwarded": "Årsrapport sendt til Helsedirektoratet",
    # Annual reports: the exchange format
    "report_import": "Importerte årsrapport",
}

# A read or download says what was read: «Lastet ned samlet søknad», «Åpnet søknad».
SPECIFIC_LABELS: dict[tuple[str, str], str] = {
    (VIEW, "application"): "Åpnet søknad",
    (VIEW, "joint_submission"): "Åpnet samlet søknad",
    (DOWNLOAD, "joint_submission"): "Lastet ned samlet søknad",
    (DOWNLOAD, "application"): "Lastet ned søknad",
    (DOWNLOAD, "attachment"): "Lastet ned vedlegg",
    (DOWNLOAD, "decision"): "Lastet ned vedtaksbrev",
    (DOWNLOAD, "round_letter"): "Lastet ned samlet tilbakemelding",
    (DOWNLOAD, "docx_template"): "Lastet ned dokumentmal",
    (DOWNLOAD, "audit_log"): "Lastet ned revisjonsloggen",
    (EXPORT, "application"): "Eksporterte søknad",
    (EXPORT, "round"): "Bygde samlet søknad (kommandolinje)",
    # Annual reports: Helsedirektoratet's assessment
    (DOWNLOAD, "report_letter"): "Lastet ned vurderingsbrev for årsrapportene",
    # Annual reports: the exchange format
    (EXPORT, "annual_report"): "Eksporterte årsrapport",
}

OBJECT_LABELS: dict[str, str] = {
    "application": "Søknad",
    "attachment": "Vedlegg",
    "decision": "Vedtak",
    "round_letter": "Samlet tilbakemelding",
    "joint_submission": "Samlet søknad",
    "national_list": "Nasjonal liste",
    "user": "Bruker",
    "round": "Søknadsrunde",
    "region_round": "Regionens runde",
    "docx_template": "Dokumentmal",
    "registry": "Register",
    "national_service": "Nasjonal tjeneste",
    "audit_log": "Revisjonslogg",
    "outbox_message": "E-post",
    # Annual reports
    "annual_report": "Årsrapport",
    "report_letter": "Vurdering av årsrapportene",
}

OUTCOMES: dict[str, Outcome] = {
    "login_failed": Outcome.FAILURE,
    "login_throttled": Outcome.REFUSED,
}

# Never kept in an entry's data, whoever passes them (a password, a token, file contents).
SECRET_KEYS = frozenset({"password", "passord", "token", "secret", "content", "contents"})
REDACTED = "[fjernet]"


def action_label(action: str, object_type: str = "") -> str:
    """The Norwegian words for an action (on an object type); an unknown action as its code."""
    return SPECIFIC_LABELS.get((action, object_type)) or ACTION_LABELS.get(action, action)


def object_label(object_type: str) -> str:
    return OBJECT_LABELS.get(object_type, object_type)


def outcome_of(action: str) -> Outcome:
    return OUTCOMES.get(action, Outcome.SUCCESS)


def outcome_label(outcome: str) -> str:
    try:
        return Outcome(outcome).label
    except ValueError:
        return outcome


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_control(text: str) -> str:
    """``text`` on one line: newlines, other control characters, bidirectional overrides and
    line separators become visible escapes (``\\n``, ``\\u202e``); a backslash is doubled, so
    that an escape typed by a user cannot pass for one made here."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char in _NAMED:
            out.append(_NAMED[char])
        elif unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def redact(data: dict[str, Any]) -> dict[str, Any]:
    return {key: REDACTED if key.lower() in SECRET_KEYS else value
            for key, value in data.items()}


def describe_value(value: Any) -> str:
    """One logged value as one safe line of text."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           sort_keys=True)
    return escape_control(text)


def describe_data(data: dict[str, Any]) -> str:
    """``key=value; key=value``, each value on one line (for the log page, CSV and log line)."""
    return "; ".join(f"{escape_control(str(key))}={describe_value(value)}"
                     for key, value in sorted(data.items()))
