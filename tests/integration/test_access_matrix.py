"""Every route × every role × own/other organisation → the status a user gets.

Another organisation's objects answer 404 (not 403), so that ids reveal nothing. A route added
to the app without a row here fails ``test_every_route_is_in_the_matrix``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from flask import Flask

from soknad.domain.reports import ReportState
from soknad.domain.roles import Role
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import (
    AnnualReport,
    Application,
    Attachment,
    AuditEntry,
    NationalService,
    Round,
)
from soknad.services import applications, coordination
from soknad.services import attachments as attachment_service
from soknad.services import calendar as calendar_service
from tests.calendar_helpers import approved
from tests.factories import (
    login,
    make_application,
    multiregional,
    sent_and_postponed,
    started_report,
    user,
)

PDF = b"%PDF-1.4\n%%EOF\n"

COORDINATOR = "koordinator.sorost@demo.no"
ACTORS = {
    "anonymous": None,
    "applicant_own": "soker.ous@demo.no",
    "applicant_other": "soker.bergen@demo.no",
    "coordinator_own_region": "koordinator.sorost@demo.no",
    "coordinator_other_region": "koordinator.vest@demo.no",
    "directorate": "hdir@demo.no",
    "admin": "admin@demo.no",
}


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    url: str  # with {draft}, {submitted}, {draft_file}, {submitted_file}, {user} filled in
    expected: dict[str, int]
    data: dict[str, Any] = field(default_factory=dict)
    multipart: bool = False


def only(allowed: dict[str, int], default: int = 404, anonymous: int = 302) -> dict[str, int]:
    """``allowed`` get their status, other signed-in actors ``default``, anonymous ``anonymous``
    (302 to the login page, or 401 where a post is kept through login)."""
    return {**dict.fromkeys(ACTORS, default), "anonymous": anonymous, **allowed}


APPLICANT_PAGE = only({"applicant_own": 200, "applicant_other": 200})
OWN_DRAFT = only({"applicant_own": 200})
EVERYONE = dict.fromkeys(ACTORS, 200)
COORDINATORS = only({"coordinator_own_region": 200, "coordinator_other_region": 200})
COORDINATORS_REDIRECTED = only({"coordinator_own_region": 302, "coordinator_other_region": 302})

CASES = [
    Case("auth.login", "GET", "/logg-inn", EVERYONE),
    Case("auth.logout", "POST", "/logg-ut", dict.fromkeys(ACTORS, 302)),
    # A set-password link: open to anyone holding a valid one; a made-up one is 404.
    Case("auth.set_password", "GET", "/sett-passord/ikke-en-lenke", dict.fromkeys(ACTORS, 404)),
    Case("home.index", "GET", "/", dict.fromkeys(ACTORS, 302)),
    Case("home.session_status", "GET", "/okt", EVERYONE),
    Case("home.accessibility", "GET", "/tilgjengelighet", EVERYONE),
    Case("home.health", "GET", "/helse", EVERYONE),
    Case("static", "GET", "/static/css/app.css", EVERYONE),
    Case("coordinator.inbox", "GET", "/rhf", COORDINATORS),
    Case("coordinator.inbox", "GET", "/rhf?q=%C3%98&status=submitted&sorter=tittel&side=2",
         COORDINATORS),
    Case("coordinator.set_deadline", "POST", "/rhf/frist", COORDINATORS_REDIRECTED,
         data={"frist": ""}),
    Case("coordinator.extend", "POST", "/rhf/soknader/{draft}/utsatt-frist",
         only({"coordinator_own_region": 302}), data={"til": "2099-01-01"}),
    Case("coordinator.extend", "POST", "/rhf/soknader/{submitted}/utsatt-frist", only({}),
         data={"til": "2099-01-01"}),
    Case("coordinator.review", "GET", "/rhf/soknader/{submitted}",
         only({"coordinator_own_region": 200})),
    Case("coordinator.review", "GET", "/rhf/soknader/{draft}", only({})),
    Case("coordinator.comment", "POST", "/rhf/soknader/{submitted}/kommentar",
         only({"coordinator_own_region": 302}), data={"punkt": "p3", "kommentar": "Tydeligere"}),
    Case("coordinator.comment", "POST", "/rhf/soknader/{draft}/kommentar", only({}),
         data={"punkt": "p3", "kommentar": "Tydeligere"}),
    Case("coordinator.decide", "POST", "/rhf/soknader/{submitted}/behandling",
         only({"coordinator_own_region": 422}), data={"handling": "returner"}),
    Case("coordinator.changes", "GET", "/rhf/soknader/{resubmitted}/endringer",
         only({"coordinator_own_region": 200})),
    Case("coordinator.changes", "GET", "/rhf/soknader/{submitted}/endringer", only({})),
    Case("coordinator.ranking", "GET", "/rhf/prioritering", COORDINATORS),
    Case("coordinator.move_in_region", "POST", "/rhf/prioritering/flytt",
         COORDINATORS_REDIRECTED, data={"soknad": "1", "retning": "opp", "versjon": "0"}),
    Case("coordinator.save_ranking_reason", "POST", "/rhf/prioritering/begrunnelse",
         only({"coordinator_own_region": 422, "coordinator_other_region": 422}),
         data={"begrunnelse": "Størst behov"}),  # the list is locked: refused, with a message
    Case("coordinator.national_list", "GET", "/rhf/nasjonal-liste", COORDINATORS),
    # No region has accepted anything yet: every change to the list is refused, with a message.
    Case("coordinator.propose", "POST", "/rhf/nasjonal-liste/forslag",
         only({"coordinator_own_region": 422, "coordinator_other_region": 422})),
    Case("coordinator.move_in_list", "POST", "/rhf/nasjonal-liste/flytt",
         only({"coordinator_own_region": 422, "coordinator_other_region": 422}),
         data={"soknad": "1", "retning": "opp", "versjon": "1"}),
    Case("coordinator.refresh_list", "POST", "/rhf/nasjonal-liste/oppdater",
         only({"coordinator_own_region": 422, "coordinator_other_region": 422}),
         data={"versjon": "1"}),
    Case("coordinator.answer", "POST", "/rhf/nasjonal-liste/svar",
         only({"coordinator_own_region": 422, "coordinator_other_region": 422}),
         data={"svar": "consent", "versjon": "1"}),
    # The joint submission is sent, and Helsedirektoratet has postponed {sent}.
    Case("coordinator.save_contact", "POST", "/rhf/nasjonal-liste/kontaktperson",
         only({"coordinator_own_region": 422, "coordinator_other_region": 422}),
         data={"navn": "Anne Berg", "tittel": "Fagdirektør", "epost": "a@b.no",
               "telefon": "22334455"}),
    Case("coordinator.confirm_send", "GET", "/rhf/nasjonal-liste/send",
         COORDINATORS_REDIRECTED),
    Case("coordinator.send", "POST", "/rhf/nasjonal-liste/send",
         only({"coordinator_own_region": 422, "coordinator_other_region": 422})),
    Case("coordinator.package", "GET", "/rhf/nasjonal-liste/pakke.zip",
         only({"coordinator_own_region": 200})),
    Case("coordinator.answer_question", "POST", "/rhf/soknader/{sent}/svar",
         only({"coordinator_own_region": 422}), data={"svar": "Svar"}),
    # Reading across regions: another region's coordinator reads (never edits) what stands on
    # the national list ({sent}) and the multi-regional application whose partner it is
    # ({partnered}: Oslo universitetssykehus HF with Helse Bergen HF); nothing else.
    Case("cross_region.application", "GET", "/rhf/andre-regioner/soknader/{sent}",
         only({"coordinator_other_region": 200})),
    Case("cross_region.application", "GET", "/rhf/andre-regioner/soknader/{partnered}",
         only({"coordinator_other_region": 200})),
    Case("cross_region.application", "GET", "/rhf/andre-regioner/soknader/{submitted}",
         only({})),
    Case("cross_region.application", "GET", "/rhf/andre-regioner/soknader/{draft}", only({})),
    Case("cross_region.application", "GET", "/rhf/andre-regioner/soknader/999999", only({})),
    Case("cross_region.docx", "GET", "/rhf/andre-regioner/soknader/{sent}/soknad.docx",
         only({"coordinator_other_region": 200})),
    Case("cross_region.docx", "GET", "/rhf/andre-regioner/soknader/{submitted}/soknad.docx",
         only({})),
    Case("cross_region.docx", "GET", "/rhf/andre-regioner/soknader/{draft}/soknad.docx",
         only({})),
    Case("cross_region.attachment", "GET",
         "/rhf/andre-regioner/soknader/{partnered}/vedlegg/{partnered_file}",
         only({"coordinator_other_region": 200})),
    Case("cross_region.attachment", "GET",
         "/rhf/andre-regioner/soknader/{submitted}/vedlegg/{submitted_file}", only({})),
    Case("cross_region.attachment", "GET",
         "/rhf/andre-regioner/soknader/{partnered}/vedlegg/{submitted_file}", only({})),
    Case("cross_region.comment", "POST", "/rhf/andre-regioner/soknader/{partnered}/kommentar",
         only({"coordinator_other_region": 302}), data={"kommentar": "Innspill fra Vest"}),
    Case("cross_region.comment", "POST", "/rhf/andre-regioner/soknader/{partnered}/kommentar",
         only({"coordinator_other_region": 422}), data={"kommentar": " "}),
    Case("cross_region.comment", "POST", "/rhf/andre-regioner/soknader/{sent}/kommentar",
         only({}), data={"kommentar": "Innspill"}),
    Case("cross_region.comment", "POST", "/rhf/andre-regioner/soknader/{submitted}/kommentar",
         only({}), data={"kommentar": "Innspill"}),
    # ... and the owning RHF's pages stay its own: the partner and the list open none of them.
    Case("coordinator.review", "GET", "/rhf/soknader/{partnered}",
         only({"coordinator_own_region": 200})),
    Case("coordinator.review", "GET", "/rhf/soknader/{sent}",
         only({"coordinator_own_region": 200})),
    Case("coordinator.comment", "POST", "/rhf/soknader/{partnered}/kommentar",
         only({"coordinator_own_region": 302}), data={"punkt": "", "kommentar": "Eget"}),
    Case("coordinator.decide", "POST", "/rhf/soknader/{partnered}/behandling",
         only({"coordinator_own_region": 422}), data={"handling": "returner"}),
    Case("coordinator.extend", "POST", "/rhf/soknader/{partnered}/utsatt-frist", only({}),
         data={"til": "2099-01-01"}),
    Case("coordinator.answer_question", "POST", "/rhf/soknader/{partnered}/svar",
         only({"coordinator_own_region": 422}), data={"svar": "Svar"}),
    Case("applicant.submission", "GET", "/soknader/{partnered}/innsendt/1",
         only({"applicant_own": 200, "coordinator_own_region": 200})),
    Case("applicant.submission_docx", "GET", "/soknader/{partnered}/innsendt/1.docx",
         only({"applicant_own": 200, "coordinator_own_region": 200})),
    Case("applicant.attachment", "GET", "/soknader/{partnered}/vedlegg/{partnered_file}",
         only({"applicant_own": 200, "coordinator_own_region": 200})),
    Case("applicant.section", "GET", "/soknader/{partnered}/punkt/om", OWN_DRAFT),
    Case("directorate.inbox", "GET", "/hdir", only({"directorate": 200})),
    Case("directorate.joint_submission", "GET", "/hdir/runder/2027", only({"directorate": 200})),
    Case("directorate.joint_submission", "GET", "/hdir/runder/2031", only({})),
    Case("directorate.package", "GET", "/hdir/runder/2027/pakke.zip", only({"directorate": 200})),
    Case("directorate.application", "GET", "/hdir/soknader/{sent}", only({"directorate": 200})),
    Case("directorate.application", "GET", "/hdir/soknader/{submitted}", only({})),
    Case("directorate.ask", "POST", "/hdir/soknader/{sent}/sporsmal",
         only({"directorate": 422}), data={"sporsmal": "", "frist": ""}),
    Case("directorate.ask", "POST", "/hdir/soknader/{submitted}/sporsmal", only({}),
         data={"sporsmal": "Hvorfor?", "frist": "2099-01-01"}),
    Case("directorate.decide", "POST", "/hdir/soknader/{sent}/vedtak",
         only({"directorate": 422}), data={"vedtak": ""}),
    Case("directorate.decide", "POST", "/hdir/soknader/{submitted}/vedtak", only({}),
         data={"vedtak": "rejected", "begrunnelse": "Nei", "underskriver": "A", "tittel": "B"}),
    Case("directorate.confirm_decision", "POST", "/hdir/soknader/{sent}/vedtak/bekreft",
         only({"directorate": 422}), data={"vedtak": ""}),
    Case("directorate.confirm_decision", "POST", "/hdir/soknader/{submitted}/vedtak/bekreft",
         only({}), data={"vedtak": "rejected", "begrunnelse": "Nei", "underskriver": "A",
                         "tittel": "B"}),
    # Rådgivingsgruppen's recommendation and the round's feedback letter: Hdir only.
    Case("advisory.record", "POST", "/hdir/soknader/{sent}/anbefaling",
         only({"directorate": 422}), data={"anbefaling": ""}),
    Case("advisory.record", "POST", "/hdir/soknader/{submitted}/anbefaling", only({}),
         data={"anbefaling": "approved", "motedato": "2020-01-01",
               "anbefaling_begrunnelse": "Ja"}),
    Case("advisory.letter", "GET", "/hdir/runder/2027/samlet-tilbakemelding.docx",
         only({"directorate": 200})),
    Case("advisory.letter", "GET", "/hdir/runder/2031/samlet-tilbakemelding.docx", only({})),
    # Helsedirektoratet's case work: its users only; nobody else learns that it exists.
    Case("directorate.inbox", "GET", "/hdir?saksbehandler=mine&sorter=frist&retning=synkende",
         only({"directorate": 200})),
    Case("directorate.assign_application", "POST", "/hdir/soknader/{sent}/saksbehandler",
         only({"directorate": 302}), data={"saksbehandler": "{hdir}"}),
    Case("directorate.assign_application", "POST", "/hdir/soknader/{submitted}/saksbehandler",
         only({}), data={"saksbehandler": "{hdir}"}),
    Case("directorate.note_application", "POST", "/hdir/soknader/{sent}/notater",
         only({"directorate": 302}), data={"notat": "Internt"}),
    Case("directorate.note_application", "POST", "/hdir/soknader/{submitted}/notater",
         only({}), data={"notat": "Internt"}),
    Case("directorate.note_application", "POST", "/hdir/soknader/{sent}/notater",
         only({"directorate": 422}), data={"notat": ""}),
    Case("directorate.assign_joint", "POST", "/hdir/runder/2027/saksbehandler",
         only({"directorate": 302}), data={"saksbehandler": ""}),
    Case("directorate.assign_joint", "POST", "/hdir/runder/2031/saksbehandler", only({}),
         data={"saksbehandler": ""}),
    Case("directorate.note_joint", "POST", "/hdir/runder/2027/notater",
         only({"directorate": 302}), data={"notat": "Internt"}),
    Case("directorate.note_joint", "POST", "/hdir/runder/2031/notater", only({}),
         data={"notat": "Internt"}),
    Case("applicant.submission_docx", "GET", "/soknader/{submitted}/innsendt/1.docx",
         only({"applicant_own": 200, "coordinator_own_region": 200})),
    Case("applicant.submission_docx", "GET", "/soknader/{sent}/innsendt/1.docx",
         only({"applicant_own": 200, "coordinator_own_region": 200, "directorate": 200})),
    Case("applicant.decision_docx", "GET", "/soknader/{sent}/vedtak/{decision}.docx",
         only({"applicant_own": 200, "coordinator_own_region": 200, "directorate": 200})),
    Case("applicant.decision_docx", "GET", "/soknader/{submitted}/vedtak/{decision}.docx",
         only({})),
    Case("applicant.answer_question", "POST", "/soknader/{sent}/svar",
         only({"applicant_own": 422}), data={"svar": "Svar"}),
    Case("admin.rounds", "GET", "/admin/runder", only({"admin": 200})),
    # The round's list is locked (see {sent}): the coordinating RHF can no longer change.
    Case("admin.rounds", "POST", "/admin/runder", only({"admin": 422}),
         data={"runde": "{round}", "koordinerende": "helse-vest"}),
    Case("home.directorate_inbox", "GET", "/hdir", only({"directorate": 200})),
    Case("admin.users", "GET", "/admin/brukere", only({"admin": 200})),
    # The audit log: the administrator's only, filtered through the query string.
    Case("admin.audit_log", "GET", "/admin/logg", only({"admin": 200})),
    Case("admin.audit_log", "GET", "/admin/logg?handling=login&side=2", only({"admin": 200})),
    Case("admin.audit_log_csv", "GET", "/admin/logg.csv", only({"admin": 200})),
    Case("admin.toggle_active", "POST", "/admin/brukere/{user}/aktiv", only({"admin": 302})),
    Case("admin.edit_user", "GET", "/admin/brukere/{user}", only({"admin": 200})),
    Case("admin.edit_user", "GET", "/admin/brukere/999999", only({})),
    Case("admin.edit_user", "POST", "/admin/brukere/{user}", only({"admin": 422}),
         data={"name": "", "email": "x"}),
    Case("admin.send_password_link", "POST", "/admin/brukere/{user}/passordlenke",
         only({"admin": 302})),
    # Drafts no one has sent: listed, and deleted after a confirmation page.
    Case("admin.drafts", "GET", "/admin/utkast", only({"admin": 200})),
    Case("admin.delete_draft", "GET", "/admin/utkast/{draft}/slett", only({"admin": 200})),
    Case("admin.delete_draft", "GET", "/admin/utkast/{submitted}/slett", only({"admin": 302})),
    Case("admin.delete_draft", "POST", "/admin/utkast/{draft}/slett", only({"admin": 302})),
    # The e-mail outbox.
    Case("admin.outbox", "GET", "/admin/e-post", only({"admin": 200})),
    Case("admin.retry_mail", "POST", "/admin/e-post/1/prov-igjen", only({"admin": 302})),
    # Word templates: the administrator's only. A PDF is refused as a template (422).
    Case("documents.index", "GET", "/admin/dokumentmaler/", only({"admin": 200})),
    Case("documents.download", "GET", "/admin/dokumentmaler/vedtaksbrev.docx",
         only({"admin": 200})),
    Case("documents.download", "GET", "/admin/dokumentmaler/ukjent.docx", only({})),
    Case("documents.upload", "POST", "/admin/dokumentmaler/vedtaksbrev", only({"admin": 422}),
         multipart=True),
    Case("documents.restore", "POST", "/admin/dokumentmaler/vedtaksbrev/standard",
         only({"admin": 302})),
    Case("applicant.dashboard", "GET", "/soknader/", APPLICANT_PAGE),
    Case("applicant.new", "GET", "/soknader/ny", APPLICANT_PAGE),
    Case("applicant.overview", "GET", "/soknader/{draft}", OWN_DRAFT),
    Case("applicant.overview", "GET", "/soknader/{submitted}", OWN_DRAFT),
    Case("applicant.section", "GET", "/soknader/{draft}/punkt/p3", OWN_DRAFT),
    Case("applicant.section", "GET", "/soknader/{submitted}/punkt/p3", OWN_DRAFT),
    Case("applicant.section", "POST", "/soknader/{draft}/punkt/p3",
         only({"applicant_own": 302}, anonymous=401),
         data={"version": "1", "sentralisering": "x"}),
    Case("applicant.autosave", "POST", "/soknader/{draft}/punkt/p3/autolagre",
         only({"applicant_own": 200}, anonymous=401),
         data={"version": "1", "sentralisering": "x"}),
    Case("applicant.upload", "POST", "/soknader/{draft}/punkt/p2/vedlegg",
         only({"applicant_own": 200}, anonymous=401),
         data={"field": "p2_dokumentasjon"}, multipart=True),
    Case("applicant.attachment", "GET", "/soknader/{draft}/vedlegg/{draft_file}", OWN_DRAFT),
    Case("applicant.attachment", "GET", "/soknader/{submitted}/vedlegg/{submitted_file}",
         only({"applicant_own": 200, "coordinator_own_region": 200})),
    Case("applicant.check", "GET", "/soknader/{draft}/kontroll", OWN_DRAFT),
    Case("applicant.submit", "GET", "/soknader/{draft}/send-inn", OWN_DRAFT),
    Case("applicant.submit", "POST", "/soknader/{submitted}/send-inn",
         only({"applicant_own": 302})),
    Case("applicant.submission", "GET", "/soknader/{submitted}/innsendt/1",
         only({"applicant_own": 200, "coordinator_own_region": 200})),
    Case("applicant.submission", "GET", "/soknader/{submitted}/innsendt/2", only({})),
    Case("applicant.submission_json", "GET", "/soknader/{submitted}/innsendt/1.json",
         only({"applicant_own": 200, "coordinator_own_region": 200})),
    # The health trust's own Word and PDF (no PDF has been made yet: 404 for everyone).
    Case("applicant.draft_docx", "GET", "/soknader/{draft}/utkast.docx", OWN_DRAFT),
    Case("applicant.request_pdf", "POST", "/soknader/{draft}/pdf", only({"applicant_own": 302}),
         data={"kilde": "utkast"}),
    Case("applicant.request_pdf", "POST", "/soknader/{submitted}/pdf",
         only({"applicant_own": 302}), data={"kilde": "1"}),
    Case("applicant.download_pdf", "GET", "/soknader/{submitted}/pdf/versjon-1.pdf", only({})),
    Case("applicant.export", "GET", "/soknader/{draft}/eksport.json", OWN_DRAFT),
    Case("applicant.export", "GET", "/soknader/999999/eksport.json", only({})),
    Case("registry.index", "GET", "/tjenester/?icd10=C40", only({}, default=200)),
    Case("registry.service", "GET", "/tjenester/{service}", only({}, default=200)),
    Case("registry.by_key", "GET", "/tjenester/nokkel/{service_key}", only({}, default=302)),
    Case("registry.service", "GET", "/tjenester/999999", only({})),
    # Only the RHF of the service's region records that an approved service is established.
    Case("registry.establish", "GET", "/tjenester/{approved_service}/etablert",
         only({"coordinator_own_region": 200})),
    Case("registry.establish", "GET", "/tjenester/{service}/etablert", only({})),
    Case("registry.establish", "POST", "/tjenester/{approved_service}/etablert",
         only({"coordinator_own_region": 422}), data={"dato": "2000-01-01"}),
    Case("registry.confirm_establishment", "POST",
         "/tjenester/{approved_service}/etablert/bekreft",
         only({"coordinator_own_region": 422}), data={"dato": "2000-01-01"}),
    Case("registry.for_application", "GET", "/tjenester/soknad/{approved}",
         only({"applicant_own": 302, "coordinator_own_region": 302, "directorate": 302})),
    # Deadlines: every signed-in user has their own; the feed's token is its credential.
    Case("calendar.overview", "GET", "/kalender", only({}, default=200)),
    Case("calendar.create_feed", "POST", "/kalender/abonnement", only({}, default=200)),
    Case("calendar.revoke_feed", "POST", "/kalender/abonnement/slett", only({}, default=302)),
    Case("calendar.feed", "GET", "/kalender/{feed_token}.ics", EVERYONE),
    Case("calendar.feed", "GET", "/kalender/ikke-en-gyldig-adresse.ics",
         dict.fromkeys(ACTORS, 404)),
    Case("calendar.round_dates", "GET", "/admin/frister/2027", only({"admin": 200})),
    Case("calendar.round_dates", "GET", "/admin/frister/1999", only({})),
    Case("calendar.round_dates", "POST", "/admin/frister/2027", only({"admin": 302}),
         data={"day": "2026-11-20", "title": "Møte", "roles": "coordinator"}),
    Case("calendar.delete_round_date", "POST", "/admin/frister/2027/{round_date}/slett",
         only({"admin": 302})),
    # Annual reports of Oslo universitetssykehus HF (Helse Sør-Øst): a draft is the health
    # trust's alone, a sent one also its RHF's, a forwarded one also Helsedirektoratet's.
    Case("reports.read", "GET", "/rapporter/{report_draft}/les", OWN_DRAFT),
    Case("reports.read", "GET", "/rapporter/{report_sent}/les",
         only({"applicant_own": 200, "coordinator_own_region": 200})),
    Case("reports.read", "GET", "/rapporter/{report_forwarded}/les",
         only({"applicant_own": 200, "coordinator_own_region": 200, "directorate": 200})),
    # Helsedirektoratet's statistics of a round; an unknown round is said so (404).
    Case("statistics.index", "GET", "/hdir/statistikk", only({"directorate": 200})),
    Case("statistics.index", "GET", "/hdir/statistikk?runde=2027", only({"directorate": 200})),
    Case("statistics.index", "GET", "/hdir/statistikk?runde=1999", only({})),
    # Annual reports: Helsedirektoratet's assessment. A forwarded report is Helsedirektoratet's
    # to assess; a sent one (still with the RHF) does not exist for it.
    Case("report_assessment.index", "GET", "/hdir/arsrapporter/", only({"directorate": 200})),
    Case("report_assessment.index", "GET", "/hdir/arsrapporter/?ar=2026",
         only({"directorate": 200})),
    Case("report_assessment.index", "GET", "/hdir/arsrapporter/?ar=tjue", only({})),
    Case("report_assessment.report", "GET", "/hdir/arsrapporter/{report_forwarded}",
         only({"directorate": 200})),
    Case("report_assessment.report", "GET", "/hdir/arsrapporter/{report_sent}", only({})),
    Case("report_assessment.assess", "POST", "/hdir/arsrapporter/{report_forwarded}/vurdering",
         only({"directorate": 302}, anonymous=401), data={"vurdering": "i_orden", "punkter": ""}),
    Case("report_assessment.assess", "POST", "/hdir/arsrapporter/{report_sent}/vurdering",
         only({}, anonymous=401), data={"vurdering": "i_orden", "punkter": ""}),
    Case("report_assessment.supplement", "POST", "/hdir/arsrapporter/{report_forwarded}/tillegg",
         only({"directorate": 302}, anonymous=401), data={"tillegg": "Mer om pasientvolum"}),
    Case("report_assessment.supplement", "POST", "/hdir/arsrapporter/{report_draft}/tillegg",
         only({}, anonymous=401), data={"tillegg": "Mer om pasientvolum"}),
    Case("report_assessment.letter", "GET", "/hdir/arsrapporter/2026/helse-sor-ost.docx",
         only({"directorate": 200})),
    Case("report_assessment.letter", "GET", "/hdir/arsrapporter/2026/ingen-region.docx",
         only({})),
    # Annual reports: the health trust writes and sends (the draft is the trust's alone; a
    # sent one is shown read-only and refuses changes).
    Case("reports.index", "GET", "/rapporter/", APPLICANT_PAGE),
    Case("reports.index", "GET", "/rapporter/?ar=2025", APPLICANT_PAGE),
    Case("reports.start", "POST", "/rapporter/start", only({"applicant_own": 302}),
         data={"service_id": "{report_draft_service}", "year": "2026"}),
    Case("reports.overview", "GET", "/rapporter/{report_draft}", OWN_DRAFT),
    Case("reports.overview", "GET", "/rapporter/{report_sent}", OWN_DRAFT),
    Case("reports.section", "GET", "/rapporter/{report_draft}/del/r1", OWN_DRAFT),
    Case("reports.section", "GET", "/rapporter/{report_draft}/del/ukjent", only({})),
    Case("reports.section", "GET", "/rapporter/{report_sent}/del/om", OWN_DRAFT),
    Case("reports.section", "POST", "/rapporter/{report_draft}/del/r1",
         only({"applicant_own": 302}, anonymous=401),  # the text is kept through login
         data={"version": "1", "handling": "lagre", "status": "Ny", "endringer": "Ingen"}),
    Case("reports.section", "POST", "/rapporter/{report_sent}/del/om",
         only({"applicant_own": 409}, anonymous=401), data={"version": "1", "handling": "lagre"}),
    Case("reports.approve", "POST", "/rapporter/{report_draft}/referansegruppe",
         only({"applicant_own": 302}), data={"day": "2026-11-02", "by": "Kari Leder"}),
    Case("reports.approve", "POST", "/rapporter/{report_sent}/referansegruppe",
         only({"applicant_own": 409}), data={"day": "2026-11-02", "by": "Kari Leder"}),
    Case("reports.send", "POST", "/rapporter/{report_draft}/send",
         only({"applicant_own": 409})),  # not approved by the reference group yet
    Case("reports.send", "POST", "/rapporter/{report_sent}/send",
         only({"applicant_own": 409})),  # already sent
    # Annual reports: the RHF's inbox. Each coordinator sees their own region's; a report is
    # returned only by its region's coordinator (another region's, or a draft, is 404).
    Case("report_inbox.index", "GET", "/rhf/arsrapporter/", COORDINATORS),
    Case("report_inbox.index", "GET", "/rhf/arsrapporter/?ar=2026", COORDINATORS),
    Case("report_inbox.index", "GET", "/rhf/arsrapporter/?ar=1999", only({})),
    Case("report_inbox.forward", "POST", "/rhf/arsrapporter/videresend", COORDINATORS,
         data={"ar": "2026"}),  # the confirmation page
    Case("report_inbox.forward", "POST", "/rhf/arsrapporter/videresend",
         COORDINATORS_REDIRECTED, data={"ar": "2026", "bekreftet": "ja"}),
    # (an ended session: login, then the text back, as on a report's part)
    Case("report_inbox.return_report", "POST", "/rhf/arsrapporter/{report_sent}/returner",
         only({"coordinator_own_region": 302}, anonymous=401), data={"merknad": "Mangler tall"}),
    Case("report_inbox.return_report", "POST", "/rhf/arsrapporter/{report_sent}/returner",
         only({"coordinator_own_region": 422}, anonymous=401), data={"merknad": ""}),
    Case("report_inbox.return_report", "POST", "/rhf/arsrapporter/{report_draft}/returner",
         only({}, anonymous=401), data={"merknad": "Mangler tall"}),
    # Annual reports: the exchange format. Whoever may read the report downloads its JSON.
    Case("report_exchange.export", "GET", "/rapporter/{report_draft}/eksport.json", OWN_DRAFT),
    Case("report_exchange.export", "GET", "/rapporter/{report_sent}/eksport.json",
         only({"applicant_own": 200, "coordinator_own_region": 200})),
    Case("report_exchange.export", "GET", "/rapporter/{report_forwarded}/eksport.json",
         only({"applicant_own": 200, "coordinator_own_region": 200, "directorate": 200})),
    Case("report_exchange.export", "GET", "/rapporter/999999/eksport.json", only({})),
]


@pytest.fixture
def objects() -> dict[str, int]:
    owner = user("soker.ous@demo.no")
    draft = make_application()
    draft_file = attachment_service.store(draft, "p2_dokumentasjon", io.BytesIO(PDF), "a.pdf",
                                          owner)
    submitted = make_application(service_type=ServiceType.NATIONAL_TREATMENT, complete=True)
    submitted_file = attachment_service.store(submitted, "p2_dokumentasjon", io.BytesIO(PDF),
                                              "b.pdf", owner)
    applications.submit(db.session.get(Application, submitted.id), owner)
    resubmitted = make_application(complete=True)
    applications.submit(resubmitted, owner)
    coordination.return_for_revision(resubmitted, "Mer om pasientvolum", user(COORDINATOR))
    applications.submit(resubmitted, owner)
    partnered = multiregional(owner.email, submit=False)
    partnered_file = attachment_service.store(partnered, "p2_dokumentasjon", io.BytesIO(PDF),
                                              "d.pdf", owner)
    applications.submit(db.session.get(Application, partnered.id), owner)
    sent, decision, _ = sent_and_postponed(owner)
    imported = db.session.query(NationalService).order_by(NationalService.id).first()
    approved_application = approved(owner.email)  # Helse Sør-Øst's, approved by Hdir
    approved_service = db.session.query(NationalService).filter_by(
        application_id=approved_application.id).one()
    reports = {f"report_{state.name.lower()}": started_report(
        service_type=service_type, complete=True, state=state).id
        for state, service_type in ((ReportState.DRAFT, ServiceType.NATIONAL_COMPETENCE),
                                    (ReportState.SENT, ServiceType.NATIONAL_TREATMENT),
                                    (ReportState.FORWARDED, ServiceType.MULTIREGIONAL_TREATMENT))}
    return {**reports, "approved": approved_application.id, "approved_service": approved_service.id,
            "draft": draft.id, "submitted": submitted.id, "resubmitted": resubmitted.id,
            "sent": sent, "decision": decision,
            "partnered": partnered.id, "partnered_file": partnered_file.id,
            "round": resubmitted.round_id, "draft_file": draft_file.id,
            "submitted_file": submitted_file.id, "user": user("soker.bergen@demo.no").id,
            "service": imported.id, "service_key": imported.key,
            "feed_token": calendar_service.create_feed(owner),
            "hdir": user("hdir@demo.no").id,
            "round_date": calendar_service.add_round_date(
                db.session.get(Round, resubmitted.round_id), date(2026, 11, 20), "Møte",
                roles=[Role.COORDINATOR], actor=user("admin@demo.no")).id,
            # Annual reports: the health trust writes and sends
            "report_draft_service": db.session.get(AnnualReport, reports["report_draft"])
            .service_id}


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.method} {case.url}")
def test_access(app: Flask, objects: dict[str, int], case: Case) -> None:
    url = case.url.format(**objects)
    data_template = {key: str(value).format(**objects) for key, value in case.data.items()}
    wrong = []
    for actor, email in ACTORS.items():
        client = app.test_client()
        if email:
            login(client, email)
        data = dict(data_template)
        if case.multipart:
            data["fil"] = (io.BytesIO(PDF), "c.pdf")
        response = client.open(url, method=case.method, data=data,
                               content_type="multipart/form-data" if case.multipart else None)
        response.close()
        if response.status_code != case.expected[actor]:
            wrong.append(f"{actor}: got {response.status_code}, expected {case.expected[actor]}")
    assert wrong == []


def test_other_organisations_ids_look_like_missing_ones(app: Flask,
                                                        objects: dict[str, int]) -> None:
    client = app.test_client()
    login(client, "soker.bergen@demo.no")
    existing = client.get(f"/soknader/{objects['draft']}")
    missing = client.get("/soknader/999999")
    assert existing.status_code == missing.status_code == 404
    assert existing.get_data(as_text=True) == missing.get_data(as_text=True)


def test_a_coordinator_never_sees_a_draft_or_its_files(app: Flask,
                                                       objects: dict[str, int]) -> None:
    client = app.test_client()
    login(client, "koordinator.sorost@demo.no")
    inbox = client.get("/rhf").get_data(as_text=True)
    assert f"/rhf/soknader/{objects['submitted']}" in inbox
    assert f"/soknader/{objects['draft']}" not in inbox
    assert db.session.query(Attachment).count() == 3


@pytest.mark.parametrize("case", [
    # Helse Midt-Norge is neither the owner (Sør-Øst) nor the partner (Vest): it reads what
    # stands on the national list, like every RHF, and nothing else.
    ("GET", "/rhf/andre-regioner/soknader/{sent}", {}, 200, 200),
    ("GET", "/rhf/andre-regioner/soknader/{sent}/soknad.docx", {}, 200, 200),
    ("GET", "/rhf/andre-regioner/soknader/{partnered}", {}, 404, 200),
    ("GET", "/rhf/andre-regioner/soknader/{partnered}/soknad.docx", {}, 404, 200),
    ("POST", "/rhf/andre-regioner/soknader/{partnered}/kommentar", {"kommentar": "Nei"}, 404,
     302),
    ("GET", "/rhf/soknader/{partnered}", {}, 404, 404),
    ("POST", "/rhf/soknader/{partnered}/behandling", {"handling": "godta", "bekreftet": "ja"},
     404, 404),
    ("POST", "/rhf/soknader/{partnered}/behandling",
     {"handling": "returner", "begrunnelse": "Mer"}, 404, 404),
    ("POST", "/rhf/soknader/{sent}/behandling", {"handling": "avsla", "begrunnelse": "Nei",
                                                 "bekreftet": "ja"}, 404, 404),
    ("POST", "/soknader/{partnered}/punkt/om", {"version": "1", "samarbeid": "x"}, 404, 404),
])
def test_a_third_region_reads_the_list_and_nothing_else(
        app: Flask, objects: dict[str, int], case: tuple[Any, ...]) -> None:
    """(method, url, data, status for Helse Midt-Norge, status for Helse Vest)."""
    method, url, data, midt, vest = case
    states = {key: db.session.get(Application, objects[key]).state
              for key in ("partnered", "sent")}
    got = {}
    for name, email in (("midt", "koordinator.midt@demo.no"),
                        ("vest", "koordinator.vest@demo.no")):
        client = app.test_client()
        login(client, email)
        response = client.open(url.format(**objects), method=method, data=data)
        response.close()
        got[name] = response.status_code
    assert got == {"midt": midt, "vest": vest}
    db.session.expire_all()
    assert {key: db.session.get(Application, objects[key]).state
            for key in ("partnered", "sent")} == states  # nothing returned, accepted, declined


def test_reading_across_regions_ranks_nothing(app: Flask, objects: dict[str, int]) -> None:
    """Moving another region's application in one's own ranking or in the national list
    changes no ranking: the partner region and the list's readers rank nothing of it."""
    before = {key: db.session.get(Application, objects[key]).regional_rank
              for key in ("partnered", "sent")}
    client = app.test_client()
    login(client, "koordinator.vest@demo.no")
    for key in ("partnered", "sent"):
        client.post("/rhf/prioritering/flytt",
                    data={"soknad": str(objects[key]), "plass": "1", "versjon": "0"}).close()
        client.post("/rhf/nasjonal-liste/flytt",
                    data={"soknad": str(objects[key]), "plass": "1", "versjon": "1"}).close()
    db.session.expire_all()
    assert {key: db.session.get(Application, objects[key]).regional_rank
            for key in ("partnered", "sent")} == before
    assert db.session.query(AuditEntry).filter(AuditEntry.action.in_(
        ["regional_rank", "national_list_move"]),
        AuditEntry.actor_id == user("koordinator.vest@demo.no").id).count() == 0


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    covered = {case.endpoint for case in CASES}
    routes = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert routes - covered == set()


def test_every_view_declares_who_may_use_it(app: Flask) -> None:
    undeclared = [endpoint for endpoint, view in app.view_functions.items()
                  if endpoint != "static" and not hasattr(view, "allowed_roles")]
    assert undeclared == []
