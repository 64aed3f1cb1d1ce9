"""A contact field restricted to the Geschäftsstelle (issue 3 item 6, ``Person.restricted_fields``)
must not come out through another surface: the written procedure's proof PDF names who cast
each Land's answer with the account's e-mail address, which for most people is the very
address they marked "nur für die Geschäftsstelle"."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from dmk.bodies.models import Body, Person
from dmk.voting.services import written_procedure_start
from tests.helpers import login_with_second_factor
from tests.voting.scenario import make_session

pytestmark = pytest.mark.django_db


def test_the_proof_pdf_does_not_show_a_restricted_e_mail(client, public_record):
    session = make_session()
    voter = session.member("DE-BY")
    Person.objects.filter(user=voter).update(email=voter.email, restricted_fields=["email"])
    procedure = written_procedure_start(
        body=Body.objects.get(short_name="DMK"), title="Erklärung", user=session.secretariat
    )
    login_with_second_factor(client, voter)
    client.post(
        f"/intern/umlaufverfahren/{procedure.pk}/",
        {"state": session.state("DE-BY").pk, "choice": "yes"},
    )
    login_with_second_factor(client, session.member("DE-HB"))

    response = client.get(f"/intern/umlaufverfahren/{procedure.pk}/nachweis.pdf")

    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Bayern" in text
    assert voter.email not in text
