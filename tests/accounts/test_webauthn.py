"""A security key (WebAuthn) counts as the second factor (issue 4 item 2).

The browser's part is played by a software authenticator built from the ``fido2`` library's
own data types (``AttestedCredentialData``, ``AuthenticatorData``, ``AttestationObject``,
``CollectedClientData``) and an ECDSA P-256 key from ``cryptography``: allauth checks the
registration and every assertion with ``fido2.server.Fido2Server`` for real — nothing is
patched. The flows run through allauth's views and our second-factor middleware.
"""

from __future__ import annotations

import hashlib
import json
import secrets

import pytest
from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

from dmk.bodies.models import MembershipRole
from dmk.core.models import ActivityLog
from tests.factories import PASSWORD, StateFactory, user_with_role

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
RP_ID = "testserver"


class SoftwareKey:
    """One security key: a P-256 key pair and a credential id, answering WebAuthn ceremonies
    (W3C WebAuthn Level 2, §6.1 authenticator data, §8.7 "none" attestation)."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(32)
        self.counter = 0

    def _authenticator_data(self, *, with_credential: bool) -> AuthenticatorData:
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV
        credential_data = b""
        if with_credential:
            flags |= AuthenticatorData.FLAG.AT
            credential_data = AttestedCredentialData.create(
                Aaguid.NONE,
                self.credential_id,
                ES256.from_cryptography_key(self.private_key.public_key()),
            )
        self.counter += 1
        return AuthenticatorData.create(
            hashlib.sha256(RP_ID.encode()).digest(), flags, self.counter, credential_data
        )

    def _credential_json(self, client_data: CollectedClientData, **response: bytes) -> str:
        """A ``PublicKeyCredential`` in the JSON form allauth's script posts; ``response``
        holds the ceremony's binary fields (base64url-encoded here)."""
        encoded = {name: websafe_encode(value) for name, value in response.items()}
        return json.dumps(
            {
                "id": websafe_encode(self.credential_id),
                "rawId": websafe_encode(self.credential_id),
                "type": "public-key",
                "authenticatorAttachment": "cross-platform",
                "response": {"clientDataJSON": websafe_encode(client_data), **encoded},
                "clientExtensionResults": {},
            }
        )

    def register(self, creation_options: dict) -> str:
        """The JSON credential a browser posts after ``navigator.credentials.create``."""
        challenge = websafe_decode(creation_options["publicKey"]["challenge"])
        client_data = CollectedClientData.create("webauthn.create", challenge, ORIGIN)
        attestation = AttestationObject.create(
            "none", self._authenticator_data(with_credential=True), {}
        )
        return self._credential_json(client_data, attestationObject=attestation)

    def assert_login(self, request_options: dict) -> str:
        """The JSON credential a browser posts after ``navigator.credentials.get``."""
        challenge = websafe_decode(request_options["publicKey"]["challenge"])
        client_data = CollectedClientData.create("webauthn.get", challenge, ORIGIN)
        authenticator_data = self._authenticator_data(with_credential=False)
        signature = self.private_key.sign(
            bytes(authenticator_data) + client_data.hash, ec.ECDSA(hashes.SHA256())
        )
        return self._credential_json(
            client_data, authenticatorData=authenticator_data, signature=signature
        )


@pytest.fixture
def member():
    return user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-HE", name_de="Hessen"))


def _password_login(client, user):
    response = client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _register(client, key: SoftwareKey) -> None:
    # changing factors asks for the password again first (issue 4 item 2)
    response = client.get("/konto/2fa/webauthn/add/")
    assert response["Location"] == "/konto/reauthenticate/?next=%2Fkonto%2F2fa%2Fwebauthn%2Fadd%2F"
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == "/konto/2fa/webauthn/add/"
    page = client.get("/konto/2fa/webauthn/add/")
    assert page.status_code == 200
    credential = key.register(page.context["js_data"]["creation_options"])
    response = client.post(
        "/konto/2fa/webauthn/add/", {"name": "Dienstschlüssel", "credential": credential}
    )
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/recovery-codes/"


def test_a_new_user_registers_a_key_and_reaches_the_portal(client, member):
    key = SoftwareKey()
    _password_login(client, member)
    assert client.get("/intern/")["Location"] == "/konto/2fa/totp/activate/?next=%2Fintern%2F"

    _register(client, key)

    authenticator = Authenticator.objects.get(user=member, type=Authenticator.Type.WEBAUTHN)
    assert authenticator.wrap().name == "Dienstschlüssel"
    added = ActivityLog.objects.get(action="accounts.factor.added", actor=member)
    assert added.data == {"type": "webauthn"}
    assert client.get("/intern/").status_code == 200  # the key was proved in this session


def test_logging_in_with_the_key_as_second_factor_opens_the_portal(client, member):
    key = SoftwareKey()
    _password_login(client, member)
    _register(client, key)
    client.post("/konto/logout/")

    response = _password_login(client, member)
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert client.get("/intern/")["Location"] == "/konto/login/?next=/intern/"  # not logged in

    _password_login(client, member)
    page = client.get("/konto/2fa/authenticate/")
    credential = key.assert_login(page.context["js_data"]["request_options"])
    response = client.post("/konto/2fa/authenticate/", {"credential": credential})
    assert response.status_code == 302
    assert response["Location"] == "/intern/"
    assert client.get("/intern/").status_code == 200


def test_a_foreign_key_is_refused_at_login(client, member):
    _password_login(client, member)
    _register(client, SoftwareKey())
    client.post("/konto/logout/")

    _password_login(client, member)
    page = client.get("/konto/2fa/authenticate/")
    credential = SoftwareKey().assert_login(page.context["js_data"]["request_options"])
    response = client.post("/konto/2fa/authenticate/", {"credential": credential})
    assert response.status_code == 200  # the form again, nobody logged in
    assert client.get("/intern/")["Location"] == "/konto/login/?next=/intern/"


def test_a_password_only_session_of_a_key_holder_never_reaches_the_portal(client, member):
    """Seed §2.4: a session that did not pass the key holds no role, even with a key."""
    _password_login(client, member)
    _register(client, SoftwareKey())
    other = type(client)()
    other.force_login(member)  # a session made without the factor (e.g. another login view)

    response = other.get("/intern/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=%2Fintern%2F"
    assert other.get("/intern/")["Location"].startswith("/konto/login/")  # logged out
