"""The database models (SQLAlchemy 2.0, typed). Thin: rules live in ``soknad.domain``."""

from soknad.models.advisory import AdvisoryRecommendation
from soknad.models.application import Application, ApplicationSection, Submission
from soknad.models.attachment import Attachment
from soknad.models.audit import AuditEntry
from soknad.models.calendar import CalendarFeed, Reminder, RoundDate
from soknad.models.casework import CaseNote
from soknad.models.coordination import (
    Consent,
    NationalList,
    NationalListEvent,
    RegionRound,
    ReviewComment,
)
from soknad.models.cross_region import PartnerComment
from soknad.models.directorate import Decision, InformationRequest, JointSubmission
from soknad.models.organisation import Organisation
from soknad.models.outbox import OutboxMessage
from soknad.models.pdf import PdfConversion
from soknad.models.registry import NationalService, NationalServiceEvent
from soknad.models.report import AnnualReport, ReportAssessment
from soknad.models.round import Round
from soknad.models.user import LoginSession, User

__all__ = [
    "AdvisoryRecommendation",
    "AnnualReport",
    "Application",
    "ApplicationSection",
    "Attachment",
    "AuditEntry",
    "CalendarFeed",
    "CaseNote",
    "Consent",
    "Decision",
    "InformationRequest",
    "JointSubmission",
    "LoginSession",
    "NationalList",
    "NationalListEvent",
    "NationalService",
    "NationalServiceEvent",
    "Organisation",
    "OutboxMessage",
    "PartnerComment",
    "PdfConversion",
    "RegionRound",
    "Reminder",
    "ReportAssessment",
    "ReviewComment",
    "Round",
    "RoundDate",
    "Submission",
    "User",
]
