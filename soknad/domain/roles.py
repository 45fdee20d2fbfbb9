"""The four user roles and what organisation each belongs to."""

from __future__ import annotations

from enum import StrEnum

from soknad.domain.organisations import OrgKind


class Role(StrEnum):
    APPLICANT = "applicant"
    COORDINATOR = "coordinator"
    DIRECTORATE = "directorate"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            "applicant": "Søker (helseforetak)",
            "coordinator": "RHF-koordinator",
            "directorate": "Helsedirektoratet",
            "admin": "Administrator",
        }[self.value]

    @property
    def org_kinds(self) -> frozenset[OrgKind]:
        """The kinds of organisation a user with this role can belong to."""
        return _ORG_KINDS[self]


_ORG_KINDS = {
    Role.APPLICANT: frozenset({OrgKind.HF}),
    Role.COORDINATOR: frozenset({OrgKind.RHF}),
    Role.DIRECTORATE: frozenset({OrgKind.DIRECTORATE}),
    Role.ADMIN: frozenset({OrgKind.HF, OrgKind.RHF, OrgKind.DIRECTORATE}),
}
