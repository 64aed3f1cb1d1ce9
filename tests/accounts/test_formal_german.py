"""allauth's German is informal ("Du hast noch kein Konto…"); ours addresses users with "Sie".

``dmk/locale/de`` overrides exactly those allauth entries (LOCALE_PATHS wins over app
catalogs) and holds nothing else: our own source strings are German already.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.utils import translation

from dmk.bodies.models import MembershipRole
from tests.factories import PASSWORD, StateFactory, give_totp, user_with_role
from tests.helpers import totp_code

# "du", "Du", "dein", "Deine", "deinem", … as whole words ("deinstallieren" does not count)
INFORMAL = re.compile(r"\b(?:[Dd]u|[Dd]ich|[Dd]ir|[Dd]ein(?:e|en|em|er|es)?)\b")

OUR_CATALOG = Path(settings.LOCALE_PATHS[0]) / "de" / "LC_MESSAGES" / "django.mo"
ALLAUTH_CATALOG = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.mo"


def _catalog(path: Path) -> dict[str, str]:
    with path.open("rb") as fh:
        return {k: v for k, v in gettext.GNUTranslations(fh)._catalog.items() if k}


@pytest.mark.parametrize(
    ("msgid", "formal"),
    [
        (  # login page (account/login.html)
            "If you have not created an account yet, then please %(link)ssign up%(end_link)s "
            "first.",
            "Sie haben noch kein Konto? Zugänge richtet die Geschäftsstelle ein; eine "
            "%(link)sSelbstregistrierung%(end_link)s ist nicht vorgesehen.",
        ),
        (  # allauth.account adapter
            "Please type your current password.",
            "Bitte geben Sie Ihr aktuelles Passwort ein.",
        ),
        (  # allauth.mfa (mfa/totp/deactivate_form.html)
            "You are about to deactivate authenticator app based authentication. Are you sure?",
            "Sie sind dabei, die Authentifizierung per Authenticator-App zu deaktivieren. "
            "Sind Sie sicher?",
        ),
    ],
    ids=["login-page", "account", "mfa"],
)
def test_allauth_texts_are_formal_in_german(msgid, formal):
    with translation.override("de"):
        assert translation.gettext(msgid) == formal


def test_german_catalog_holds_only_formal_overrides_of_allauth_entries():
    ours = _catalog(OUR_CATALOG)
    allauth_de = _catalog(ALLAUTH_CATALOG)
    assert ours, "dmk/locale/de is not compiled (make test compiles it)"
    assert set(ours) <= set(allauth_de)  # no source string of our own (those are German)
    assert not [s for s in ours.values() if INFORMAL.search(s)]
    # nothing informal of allauth's is left without an override
    assert not [k for k, v in allauth_de.items() if INFORMAL.search(v) and k not in ours]


@pytest.mark.django_db
def test_login_page_addresses_the_user_formally(client):
    response = client.get("/konto/login/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zugänge richtet die Geschäftsstelle ein" in html
    assert INFORMAL.findall(html) == []


@pytest.fixture
def member(db):
    return user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-BY", name_de="Bayern"))


def test_second_factor_page_addresses_the_user_formally(client, member):
    give_totp(member)
    client.post("/konto/login/", {"login": member.email, "password": PASSWORD})
    response = client.get("/konto/2fa/authenticate/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bitte geben Sie einen Authenticator-Code ein" in html
    assert INFORMAL.findall(html) == []


def test_deactivating_the_authenticator_app_asks_formally(client, member):
    secret = give_totp(member)
    client.post("/konto/login/", {"login": member.email, "password": PASSWORD})
    client.post("/konto/2fa/authenticate/", {"code": totp_code(secret)})
    # deactivating the second factor asks for the password once more (reauthentication)
    response = client.get("/konto/2fa/totp/deactivate/", HTTP_ACCEPT_LANGUAGE="de", follow=True)
    assert response.redirect_chain[-1][0].startswith("/konto/reauthenticate/")
    assert INFORMAL.findall(response.content.decode()) == []
    client.post("/konto/reauthenticate/", {"password": PASSWORD})
    response = client.get("/konto/2fa/totp/deactivate/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sie sind dabei, die Authentifizierung per Authenticator-App zu deaktivieren" in html
    assert INFORMAL.findall(html) == []
