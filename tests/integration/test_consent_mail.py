"""When the coordinating RHF proposes the national list, the other three regions' coordinators
are e-mailed that their consent is needed: once per proposal, through the outbox to a real
SMTP server on loopback; the proposer's own region gets nothing."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from flask import Flask

from soknad.extensions import db
from soknad.models import OutboxMessage, Round
from soknad.services import coordination, mail
from tests.calendar_helpers import clear_outbox, submitted
from tests.factories import user
from tests.mailserver import MailServer

SOR_OST = "koordinator.sorost@demo.no"  # coordinates the demo round
OTHERS = {"koordinator.vest@demo.no": "Helse Vest", "koordinator.midt@demo.no": "Helse Midt-Norge",
          "koordinator.nord@demo.no": "Helse Nord"}
SUBJECT = "Samtykke trengs: nasjonal liste for søknadsrunden 2027"


def the_round() -> Round:
    found = Round.current()
    assert found is not None
    return found


def consent_mail(server: MailServer, address: str) -> list[EmailMessage]:
    return [message for message in server.inbox.to(address) if message["Subject"] == SUBJECT]


@pytest.fixture
def accepted_application() -> None:
    coordination.accept(submitted("soker.ous@demo.no"), user(SOR_OST))
    clear_outbox()  # the receipt and the notices of the submission


def test_each_other_region_gets_one_e_mail_with_a_link(
        app: Flask, mail_server: MailServer, accepted_application: None) -> None:
    coordination.propose(the_round(), user(SOR_OST))
    mail.send_pending()
    for address, region in OTHERS.items():
        received = consent_mail(mail_server, address)
        assert len(received) == 1, address
        body = received[0].get_content()
        assert ("Anne Berg i Helse Sør-Øst RHF, som koordinerer søknadsrunden 2027, har laget "
                "et forslag til nasjonal prioritert liste (versjon 1) med 1 søknad.") in body
        assert f"{region} RHF må samtykke til listen eller gi dissens med en begrunnelse." in body
        assert "innen 15. januar 2027" in body
        assert "http://127.0.0.1:5000/rhf/nasjonal-liste#samtykker" in body
    assert mail_server.inbox.to(SOR_OST) == []  # the proposer's region: nothing
    assert len(mail_server.inbox.messages) == 3
    assert mail.send_pending().sent == []  # sending again sends nothing more


def test_a_new_proposal_asks_again_once(app: Flask, mail_server: MailServer,
                                        accepted_application: None) -> None:
    first = coordination.propose(the_round(), user(SOR_OST))
    coordination.propose(the_round(), user(SOR_OST), first.version)
    mail.send_pending()
    for address in OTHERS:
        bodies = [message.get_content() for message in consent_mail(mail_server, address)]
        assert len(bodies) == 2, address
        assert "har laget et nytt forslag til nasjonal prioritert liste (versjon 2)" in bodies[1]
        assert "Samtykker til tidligere versjoner gjelder ikke lenger." in bodies[1]


def test_a_refused_proposal_sends_nothing(app: Flask, accepted_application: None) -> None:
    coordination.propose(the_round(), user(SOR_OST))
    clear_outbox()
    with pytest.raises(coordination.StaleError):
        coordination.propose(the_round(), user(SOR_OST), expected_version=99)
    db.session.rollback()
    assert db.session.query(OutboxMessage).count() == 0
