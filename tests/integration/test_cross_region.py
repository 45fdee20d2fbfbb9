"""Reading across regions through the pages: every coordinator reads each application on the
national list (page, Word document, attachments) before consenting; the partner region of a
multi-regional application sees it in its inbox, reads it and comments in its own name."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from sqlalchemy import select

from soknad.domain.coordination import Decision as ConsentDecision
from soknad.extensions import db
from soknad.models import Application, AuditEntry, OutboxMessage, PartnerComment
from soknad.services import applications, coordination, cross_region, joint
from soknad.services import attachments as attachment_service
from tests.factories import (
    CONTACT,
    COORDINATORS,
    client_for,
    listed,
    make_application,
    multiregional,
    page,
    user,
)

SOR_OST, VEST, MIDT, NORD = COORDINATORS
PDF = b"%PDF-1.4\n%%EOF\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def read_url(application: Application) -> str:
    return f"/rhf/andre-regioner/soknader/{application.id}"


def audited(action: str, email: str, object_type: str = "application") -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.actor_id == user(email).id,
        AuditEntry.object_type == object_type)))


# --------------------------------------------------------------------------- the national list


def test_the_national_list_links_every_entry_to_a_page_the_coordinator_may_open(
        app: Flask) -> None:
    ous, bergen = listed("soker.ous@demo.no", "soker.bergen@demo.no")
    html = page(client_for(app, SOR_OST).get("/rhf/nasjonal-liste"))
    assert f'href="/rhf/soknader/{ous.id}"' in html  # its own: the review page
    assert f'href="{read_url(bergen)}"' in html  # another region's: to read
    html = page(client_for(app, MIDT).get("/rhf/nasjonal-liste"))
    assert f'href="{read_url(ous)}"' in html
    assert f'href="{read_url(bergen)}"' in html
    assert "Les hver søknad før dere svarer" in text_of(html)


def test_another_regions_coordinator_reads_a_listed_application_but_cannot_act_on_it(
        app: Flask) -> None:
    (bergen,) = listed("soker.bergen@demo.no")
    response = client_for(app, MIDT).get(read_url(bergen))
    assert response.status_code == 200
    text = text_of(page(response))
    assert "Til lesing." in text
    assert "Helse Vest RHF behandler og prioriterer den" in text
    assert "står på den nasjonale prioriterte listen" in text
    assert "Plass i den nasjonale listen 1" in text
    assert "Tjenesten utreder og behandler barn og voksne med sjeldne beinsykdommer." in text
    html = page(response)
    for action in ("/behandling", "/kommentar", "/flytt", "Godta for prioritering"):
        assert action not in html  # nothing to decide, comment, return or rank here
    assert len(audited("view", MIDT)) == 1


def test_the_word_document_is_the_one_in_the_joint_package(app: Flask) -> None:
    (bergen,) = listed("soker.bergen@demo.no")
    response = client_for(app, NORD).get(read_url(bergen) + "/soknad.docx")
    assert response.status_code == 200
    assert response.mimetype == DOCX
    assert f"soknad-{bergen.id}-versjon-1.docx" in response.headers["Content-Disposition"]
    latest = db.session.get(Application, bergen.id).latest_submission
    assert response.data == joint.application_document(bergen, latest)
    assert [entry.data["format"] for entry in audited("download", NORD)] == ["docx"]


def test_the_attachments_the_submitted_version_lists_can_be_downloaded(app: Flask) -> None:
    owner = user("soker.bergen@demo.no")
    application = make_application(owner.email, complete=True)
    stored = attachment_service.store(application, "p2_dokumentasjon", io.BytesIO(PDF),
                                      "register.pdf", owner)
    applications.submit(application, owner)
    coordination.accept(application, user(VEST))
    coordination.propose(application.round, user(SOR_OST))
    client = client_for(app, MIDT)
    html = page(client.get(read_url(application)))
    link = f"{read_url(application)}/vedlegg/{stored.id}"
    assert f'href="{link}"' in html
    response = client.get(link)
    assert response.status_code == 200
    assert response.data == PDF
    response.close()
    assert len(audited("download", MIDT, "attachment")) == 1
    other = make_application("soker.bergen@demo.no")
    foreign = attachment_service.store(other, "p2_dokumentasjon", io.BytesIO(PDF), "x.pdf",
                                       owner)
    assert client.get(f"{read_url(application)}/vedlegg/{foreign.id}").status_code == 404


@pytest.mark.parametrize("stage", ["draft", "submitted", "accepted"])
def test_an_application_not_on_the_list_stays_closed_to_other_regions(app: Flask,
                                                                      stage: str) -> None:
    owner = user("soker.bergen@demo.no")
    application = make_application(owner.email, complete=True)
    if stage != "draft":
        applications.submit(application, owner)
    if stage == "accepted":
        coordination.accept(application, user(VEST))
    for email in (SOR_OST, MIDT, NORD, VEST):  # the owning RHF reviews it on its own page
        client = client_for(app, email)
        for suffix in ("", "/soknad.docx"):
            assert client.get(read_url(application) + suffix).status_code == 404


def test_the_list_read_stays_open_after_the_list_is_sent(app: Flask) -> None:
    (bergen,) = listed("soker.bergen@demo.no")
    found = coordination.national_list(bergen.round)
    for email in COORDINATORS:
        coordination.answer(bergen.round, user(email), ConsentDecision.CONSENT, "",
                            found.version)
    joint.set_contact(bergen.round, user(SOR_OST), CONTACT)
    joint.send(bergen.round, user(SOR_OST))
    assert client_for(app, NORD).get(read_url(bergen)).status_code == 200


# --------------------------------------------------------------------------- the partner region


def test_the_partner_region_sees_a_multi_regional_application_once_it_is_submitted(
        app: Flask) -> None:
    application = multiregional(submit=False)
    heading = "Flerregionale søknader der dere er samarbeidsregion"
    vest = client_for(app, VEST)
    assert heading not in page(vest.get("/rhf"))
    assert vest.get(read_url(application)).status_code == 404  # a draft is the trust's own
    applications.submit(application, user("soker.ous@demo.no"))
    html = page(vest.get("/rhf"))
    assert heading in html
    assert f'href="{read_url(application)}"' in html
    assert heading not in page(client_for(app, MIDT).get("/rhf"))
    assert client_for(app, MIDT).get(read_url(application)).status_code == 404
    text = text_of(page(vest.get(read_url(application))))
    assert "Helse Vest er samarbeidsregion for den flerregionale behandlingstjenesten" in text
    assert "Kommentar fra Helse Vest RHF" in text


def test_the_partner_region_comments_in_its_own_name(app: Flask) -> None:
    application = multiregional()
    response = client_for(app, VEST).post(read_url(application) + "/kommentar",
                                          data={"kommentar": "  Vi stiller med kirurg.  "})
    assert response.status_code == 302
    (row,) = db.session.scalars(select(PartnerComment)).all()
    assert (row.region, row.author_id, row.text, row.submission_number) == (
        "helse-vest", user(VEST).id, "Vi stiller med kirurg.", 1)
    assert row.created_at is not None
    (entry,) = audited("partner_comment", VEST)
    assert entry.object_id == application.id
    assert entry.data["region"] == "helse-vest"
    recipients = {item.recipient for item in db.session.scalars(select(OutboxMessage))
                  if item.subject.startswith("Kommentar fra Helse Vest RHF")}
    assert recipients == {SOR_OST}
    owner_page = text_of(page(client_for(app, SOR_OST).get(f"/rhf/soknader/{application.id}")))
    assert "Kommentarer fra samarbeidsregionen" in owner_page
    assert f"Helse Vest RHF – {user(VEST).name}," in owner_page
    assert "Vi stiller med kirurg." in owner_page
    partner_page = text_of(page(client_for(app, VEST).get(read_url(application))))
    assert "Vi stiller med kirurg." in partner_page


@pytest.mark.parametrize(("typed", "message"), [
    ("   ", "Skriv en kommentar før du lagrer den."),
    ("x" * 10_001, "Kommentaren kan ikke være lengre enn 10 000 tegn (den har 10001)."),
])
def test_a_refused_comment_is_explained_and_kept(app: Flask, typed: str, message: str) -> None:
    application = multiregional()
    response = client_for(app, VEST).post(read_url(application) + "/kommentar",
                                          data={"kommentar": typed})
    assert response.status_code == 422
    html = page(response)
    assert message in html
    assert f">{typed}</textarea>" in html
    assert db.session.scalars(select(PartnerComment)).all() == []


def test_only_the_partner_region_comments_and_only_while_the_rhfs_work_on_it(
        app: Flask) -> None:
    application = multiregional()
    coordination.accept(application, user(SOR_OST))
    coordination.propose(application.round, user(SOR_OST))
    data = {"kommentar": "Innspill"}
    for email in (MIDT, NORD, SOR_OST):  # they read it from the list, but do not comment
        assert client_for(app, email).post(read_url(application) + "/kommentar",
                                           data=data).status_code == 404
    assert "Lagre kommentaren" not in page(client_for(app, MIDT).get(read_url(application)))
    found = coordination.national_list(application.round)
    for email in COORDINATORS:
        coordination.answer(application.round, user(email), ConsentDecision.CONSENT, "",
                            found.version)
    joint.set_contact(application.round, user(SOR_OST), CONTACT)
    joint.send(application.round, user(SOR_OST))
    vest = client_for(app, VEST)
    assert vest.post(read_url(application) + "/kommentar", data=data).status_code == 404
    assert vest.get(read_url(application)).status_code == 200
    assert db.session.scalars(select(PartnerComment)).all() == []


def test_the_partner_is_the_one_in_the_submitted_version(app: Flask) -> None:
    """A partner in the same region as the applicant is no partner region; another trust's
    name typed into the draft later does not count until it is submitted."""
    application = multiregional()
    assert cross_region.partner_regions(application) == {user(VEST).organisation.region_enum}
    application.sections[0].data = {**application.sections[0].data,
                                    "partner_hf": "St. Olavs hospital HF"}
    db.session.commit()
    assert client_for(app, MIDT).get(read_url(application)).status_code == 404
