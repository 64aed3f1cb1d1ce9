"""Demo content of the public website in our own words, German and English (issue 7).

:func:`load_site_content` is idempotent: a page that exists (same slug under the same
parent and locale) is left as it is, so editors' changes survive a second run. Legal pages
carry clearly marked sample text for the chair Land to replace.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from wagtail.models import Locale, Page, Site

from dmk.bodies.models import Topic
from dmk.website.models import (
    ContactPage,
    HomePage,
    NewsIndexPage,
    PressReleasePage,
    StandardPage,
    TopicPage,
)

SAMPLE_DE = "Mustertext – vom Vorsitzland zu ersetzen."
SAMPLE_EN = "Sample text – to be replaced by the chair Land."


def _text(html: str) -> dict[str, Any]:
    return {"type": "text", "value": html}


def _sample(language: str) -> dict[str, Any]:
    return _text(f"<p><b>{SAMPLE_DE if language == 'de' else SAMPLE_EN}</b></p>")


@dataclass
class Spec:
    """One page: its type, slug and the fields per language (``de``/``en``)."""

    model: type[Page]
    slug: str
    fields: dict[str, dict[str, Any]]
    children: list[Spec] = field(default_factory=list)


#: Short descriptions of the topic pages (seed §1.3 in our own words), German and English;
#: shown under each title on ``/themen/``. A topic not named here gets a generic line.
TOPIC_INTROS = {
    "zusammenhalt-demokratie": (
        "Wie digitale Angebote das Miteinander und die demokratische Teilhabe stärken.",
        "How digital services strengthen social cohesion and democratic participation.",
    ),
    "souveraenitaet-teilhabe": (
        "Unabhängige digitale Lösungen, Teilhabe aller, barrierefreie Angebote und ethische "
        "Leitlinien.",
        "Independent digital solutions, participation for all, accessible services and "
        "ethical guidelines.",
    ),
    "staat-verwaltung": (
        "Moderne, digitale Verwaltungsleistungen von Ländern und Kommunen.",
        "Modern digital public services of the Länder and municipalities.",
    ),
    "forschung-technologien": (
        "Forschung, Transfer in die Praxis und Schlüsseltechnologien wie KI, Blockchain und "
        "Quantencomputing.",
        "Research, transfer into practice and key technologies such as AI, blockchain and "
        "quantum computing.",
    ),
    "infrastrukturen": (
        "Netze, Rechenzentren und gemeinsame Grundlagen der Digitalisierung.",
        "Networks, data centres and the shared foundations of digitalisation.",
    ),
    "regulierung-recht": (
        "Rechtlicher Rahmen der Digitalisierung, Datenschutz und Cybersicherheit.",
        "The legal framework of digitalisation, data protection and cyber security.",
    ),
    "daten": (
        "Regeln für den verantwortungsvollen Umgang mit Daten und ihre Nutzung.",
        "Rules for the responsible handling and use of data.",
    ),
    "kommunal-international": (
        "Entwicklungen in den Kommunen, im Bund, in Europa und weltweit.",
        "Developments in municipalities, at federal level, in Europe and worldwide.",
    ),
    "nachhaltigkeit": (
        "Digitalisierung im Dienst von Klima- und Ressourcenschutz.",
        "Digitalisation serving climate protection and the conservation of resources.",
    ),
    "ressourcen": (
        "Fachkräfte, Finanzierung und digitale Kompetenzen.",
        "Skilled workers, funding and digital skills.",
    ),
    "andere-politikfelder": (
        "Digitale Fragen in Bildung, Gesundheit, Wirtschaft und weiteren Politikfeldern.",
        "Digital questions in education, health, economy and other policy fields.",
    ),
}


def _topic_intro(topic: Topic, language: str) -> str:
    """The short description of ``topic``'s page in ``language`` (``de``/``en``)."""
    de, en = TOPIC_INTROS.get(
        topic.slug,
        (
            f"Beschlüsse der Konferenz zum Handlungsfeld „{topic.name_de}“.",
            f"Resolutions of the conference on “{topic.name_en}”.",
        ),
    )
    return de if language == "de" else en


def _specs() -> list[Spec]:
    return [
        Spec(
            NewsIndexPage,
            "aktuelles",
            {
                "de": {"title": "Aktuelles", "intro": "Pressemitteilungen der Konferenz."},
                "en": {"title": "News", "intro": "Press releases of the conference."},
            },
            children=[
                Spec(
                    PressReleasePage,
                    "neue-website",
                    {
                        "de": {
                            "title": "Die Digitalministerkonferenz hat eine gemeinsame Website",
                            "date": datetime.date(2026, 11, 2),
                            "teaser": "Sitzungen, Beschlüsse und der Vorsitz der Konferenz "
                            "sind ab sofort an einem Ort nachzulesen – auf Deutsch und "
                            "Englisch.",
                            "body": [
                                _text(
                                    "<p>Die neue Website bündelt das öffentliche Archiv der "
                                    "Konferenz. Beschlüsse lassen sich nach Jahr, Sitzung, "
                                    "Thema und Land filtern.</p>"
                                ),
                                {
                                    "type": "quote",
                                    "value": {
                                        "text": "Was die Länder gemeinsam beschließen, soll "
                                        "jede und jeder leicht finden können.",
                                        "source": "Geschäftsstelle der DMK (Beispielzitat)",
                                    },
                                },
                            ],
                        },
                        "en": {
                            "title": "The Conference of Digital Ministers has a joint website",
                            "date": datetime.date(2026, 11, 2),
                            "teaser": "Sessions, resolutions and the chair of the conference "
                            "can now be found in one place – in German and English.",
                            "body": [
                                _text(
                                    "<p>The new website brings the conference's public "
                                    "archive together. Resolutions can be filtered by year, "
                                    "session, topic and Land.</p>"
                                ),
                                {
                                    "type": "quote",
                                    "value": {
                                        "text": "Everyone should easily find what the Länder "
                                        "decide together.",
                                        "source": "DMK secretariat (sample quote)",
                                    },
                                },
                            ],
                        },
                    },
                ),
                Spec(
                    PressReleasePage,
                    "themenseiten",
                    {
                        "de": {
                            "title": "Themenseiten zu den Handlungsfeldern",
                            "date": datetime.date(2026, 11, 16),
                            "teaser": "Zu jedem Handlungsfeld des Konzeptpapiers gibt es "
                            "eine Seite mit den zugehörigen Beschlüssen.",
                            "body": [
                                _text(
                                    "<p>Die Themenseiten zeigen, was die Konferenz zu einem "
                                    "Handlungsfeld bereits beschlossen hat.</p>"
                                )
                            ],
                        },
                        "en": {
                            "title": "Topic pages for the fields of action",
                            "date": datetime.date(2026, 11, 16),
                            "teaser": "Every field of action of the founding concept has a "
                            "page listing its resolutions.",
                            "body": [
                                _text(
                                    "<p>The topic pages show what the conference has decided "
                                    "in a field of action.</p>"
                                )
                            ],
                        },
                    },
                ),
            ],
        ),
        Spec(
            StandardPage,
            "themen",
            {
                "de": {
                    "title": "Themen",
                    "intro": "Die Handlungsfelder der Digitalministerkonferenz.",
                },
                "en": {
                    "title": "Topics",
                    "intro": "The fields of action of the Conference of Digital Ministers.",
                },
            },
            children=[
                Spec(
                    TopicPage,
                    topic.slug,
                    {
                        "de": {
                            "title": topic.name_de,
                            "topic": topic,
                            "intro": _topic_intro(topic, "de"),
                        },
                        "en": {
                            "title": topic.name_en,
                            "topic": topic,
                            "intro": _topic_intro(topic, "en"),
                        },
                    },
                )
                for topic in Topic.objects.all()
            ],
        ),
        Spec(
            StandardPage,
            "impressum",
            {
                "de": {
                    "title": "Impressum",
                    "intro": "Angaben nach § 5 Digitale-Dienste-Gesetz (DDG).",
                    "body": [
                        _sample("de"),
                        _text(
                            "<h2>Herausgeber</h2><p>Geschäftsstelle der "
                            "Digitalministerkonferenz beim Vorsitzland<br>Musterstraße 1<br>"
                            "12345 Musterstadt</p><h2>Kontakt</h2><p>E-Mail: "
                            "geschaeftsstelle@dmk.example</p><h2>Verantwortlich für den "
                            "Inhalt</h2><p>Die Leitung der Geschäftsstelle.</p>"
                        ),
                    ],
                },
                "en": {
                    "title": "Legal notice",
                    "intro": "Information under section 5 of the German Digital Services Act.",
                    "body": [
                        _sample("en"),
                        _text(
                            "<h2>Publisher</h2><p>Secretariat of the Conference of Digital "
                            "Ministers at the chair Land<br>Musterstraße 1<br>12345 "
                            "Musterstadt, Germany</p><h2>Contact</h2><p>E-mail: "
                            "geschaeftsstelle@dmk.example</p>"
                        ),
                    ],
                },
            },
        ),
        Spec(
            StandardPage,
            "datenschutz",
            {
                "de": {
                    "title": "Datenschutzerklärung",
                    "intro": "Informationen nach Art. 13 DSGVO.",
                    "body": [
                        _sample("de"),
                        _text(
                            "<h2>Verantwortliche Stelle</h2><p>Die Geschäftsstelle der "
                            "Digitalministerkonferenz beim Vorsitzland.</p>"
                            "<h2>Welche Daten wir verarbeiten</h2><p>Beim Aufruf der Seiten "
                            "verarbeitet der Server technisch notwendige Daten (IP-Adresse, "
                            "Zeitpunkt, aufgerufene Adresse). Es gibt keine Analyse- oder "
                            "Werbedienste und keine Inhalte Dritter.</p><h2>Kontaktformular"
                            "</h2><p>Ihre Angaben speichern wir, um Ihre Anfrage zu "
                            "bearbeiten (Art. 6 Abs. 1 lit. e DSGVO).</p>"
                        ),
                        {
                            "type": "accordion",
                            "value": {
                                "items": [
                                    {
                                        "heading": "Ihre Rechte",
                                        "body": "<p>Sie haben das Recht auf Auskunft, "
                                        "Berichtigung, Löschung und Einschränkung der "
                                        "Verarbeitung sowie auf Beschwerde bei einer "
                                        "Aufsichtsbehörde.</p>",
                                    },
                                    {
                                        "heading": "Cookies",
                                        "body": "<p>Für öffentliche Seiten setzen wir keine "
                                        "Cookies. Beim Absenden eines Formulars und im "
                                        "internen Bereich werden technisch notwendige "
                                        "Cookies verwendet.</p>",
                                    },
                                ]
                            },
                        },
                    ],
                },
                "en": {
                    "title": "Privacy notice",
                    "intro": "Information under Article 13 GDPR.",
                    "body": [
                        _sample("en"),
                        _text(
                            "<h2>Controller</h2><p>The secretariat of the Conference of "
                            "Digital Ministers at the chair Land.</p><h2>What data we "
                            "process</h2><p>When you open a page, the server processes "
                            "technically necessary data (IP address, time, address opened). "
                            "There are no analytics or advertising services and no "
                            "third-party content.</p>"
                        ),
                        {
                            "type": "accordion",
                            "value": {
                                "items": [
                                    {
                                        "heading": "Your rights",
                                        "body": "<p>You have the right of access, "
                                        "rectification, erasure and restriction of "
                                        "processing, and to lodge a complaint with a "
                                        "supervisory authority.</p>",
                                    }
                                ]
                            },
                        },
                    ],
                },
            },
        ),
        Spec(
            StandardPage,
            "barrierefreiheit",
            {
                "de": {
                    "title": "Erklärung zur Barrierefreiheit",
                    "intro": "Die Digitalministerkonferenz möchte ihre Website barrierefrei "
                    "zugänglich machen (BITV 2.0).",
                    "body": [
                        _sample("de"),
                        _text(
                            "<h2>Stand der Vereinbarkeit</h2><p>Diese Website soll die "
                            "Anforderungen der BITV 2.0 erfüllen. Die Prüfung erfolgt "
                            "automatisiert bei jeder Änderung.</p><h2>Barriere melden</h2>"
                            "<p>Sind Ihnen Barrieren aufgefallen? Schreiben Sie uns über das "
                            '<a href="/kontakt/?betreff=barrierefreiheit">Formular zur '
                            "Rückmeldung</a>.</p><h2>Schlichtungsverfahren</h2><p>Wenn Sie "
                            "keine zufriedenstellende Antwort erhalten, können Sie sich an die "
                            "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz "
                            "wenden.</p>"
                        ),
                    ],
                },
                "en": {
                    "title": "Accessibility statement",
                    "intro": "The Conference of Digital Ministers aims to make its website "
                    "accessible (BITV 2.0).",
                    "body": [
                        _sample("en"),
                        _text(
                            "<h2>Compliance status</h2><p>This website aims to meet the "
                            "requirements of BITV 2.0. It is tested automatically on every "
                            "change.</p><h2>Report a barrier</h2><p>Have you found a "
                            'barrier? Please use the <a href="/en/kontakt/?betreff='
                            'barrierefreiheit">feedback form</a>.</p>'
                        ),
                    ],
                },
            },
        ),
        Spec(
            StandardPage,
            "leichte-sprache",
            {
                "de": {
                    "title": "Leichte Sprache",
                    "intro": "Hier erklären wir die Digitalminister-Konferenz in Leichter Sprache.",
                    "body": [
                        _text(
                            "<h2>Was ist die Digitalminister-Konferenz?</h2><p>In "
                            "Deutschland gibt es 16 Bundes-Länder.</p><p>Jedes Land hat eine "
                            "Ministerin oder einen Minister für Digitales.</p><p>Digital "
                            "heißt: mit Computern und dem Internet.</p><p>Diese Menschen "
                            "treffen sich.</p><p>Das Treffen heißt: "
                            "Digitalminister-Konferenz.</p><h2>Was macht die Konferenz?"
                            "</h2><p>Die Konferenz spricht über wichtige Fragen.</p><p>Zum "
                            "Beispiel: Wie kann man Anträge im Internet stellen?</p><p>Die "
                            "Konferenz entscheidet gemeinsam.</p><p>Eine Entscheidung heißt: "
                            "Beschluss.</p>"
                        )
                    ],
                },
                "en": {
                    "title": "Easy-to-read German",
                    "intro": "This page explains the conference in easy-to-read language.",
                    "body": [
                        _text(
                            "<p>Germany has 16 Länder.</p><p>Each Land has a minister for "
                            "digital matters.</p><p>These ministers meet.</p><p>The meeting "
                            "is called: Conference of Digital Ministers.</p>"
                        )
                    ],
                },
            },
        ),
        Spec(
            StandardPage,
            "gebaerdensprache",
            {
                "de": {
                    "title": "Gebärdensprache",
                    "intro": "Informationen in Deutscher Gebärdensprache (DGS).",
                    "body": [
                        {
                            "type": "sign_language_video",
                            "value": {
                                "video": None,
                                "captions": None,
                                "transcript": "<p>Willkommen bei der "
                                "Digitalministerkonferenz. Die Digitalministerinnen und "
                                "Digitalminister der 16 Länder arbeiten hier zusammen. Auf "
                                "dieser Website finden Sie die Sitzungen und die Beschlüsse "
                                "der Konferenz. Sie können uns über das Kontaktformular "
                                "schreiben.</p>",
                            },
                        }
                    ],
                },
                "en": {
                    "title": "Sign language",
                    "intro": "Information in German Sign Language (DGS).",
                    "body": [
                        {
                            "type": "sign_language_video",
                            "value": {
                                "video": None,
                                "captions": None,
                                "transcript": "<p>Welcome to the Conference of Digital "
                                "Ministers. The digital ministers of the 16 Länder work "
                                "together here. On this website you find the sessions and "
                                "resolutions of the conference. You can write to us using "
                                "the contact form.</p>",
                            },
                        }
                    ],
                },
            },
        ),
        Spec(
            ContactPage,
            "kontakt",
            {
                "de": {
                    "title": "Kontakt",
                    "intro": "Schreiben Sie der Geschäftsstelle der "
                    "Digitalministerkonferenz. Alle Felder sind Pflichtfelder.",
                    "thank_you": "Vielen Dank für Ihre Nachricht. Die Geschäftsstelle "
                    "meldet sich bei Ihnen.",
                },
                "en": {
                    "title": "Contact",
                    "intro": "Write to the secretariat of the Conference of Digital "
                    "Ministers. All fields are required.",
                    "thank_you": "Thank you for your message. The secretariat will get back "
                    "to you.",
                },
            },
        ),
    ]


def _apply(page: Page, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name == "body":
            value = json.dumps(value)
        setattr(page, name, value)


def _ensure(spec: Spec, parent: Page, language: str, source: Page | None) -> tuple[Page, int]:
    """The page of ``spec`` under ``parent`` in ``language``; created (as translation of
    ``source`` when given) and published if missing. Returns (page, number created)."""
    existing = parent.get_children().filter(slug=spec.slug).first()
    if existing is not None:
        return existing.specific, 0
    values = spec.fields[language]
    if source is not None:
        page = source.copy_for_translation(Locale.objects.get(language_code=language))
        page = page.specific
        _apply(page, values)
        page.draft_title = page.title
    else:
        page = spec.model(slug=spec.slug)
        _apply(page, values)
        parent.add_child(instance=page)
    page.save_revision().publish()
    return page, 1


def _german_home() -> HomePage:
    """The German start page; created with the default site when missing (a flushed
    database, as in browser tests, has lost the one of migration 0002)."""
    home = HomePage.objects.filter(depth=2, locale__language_code="de").first()
    if home is not None:
        return home
    locale_de, _ = Locale.objects.get_or_create(language_code="de")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale_de))
    home = HomePage(
        title="Digitalministerkonferenz",
        slug="home",
        locale=locale_de,
        intro="<p>Die Digitalministerkonferenz (DMK) ist das Gremium der Länder für "
        "Digitalpolitik und digitale Transformation. Hier finden Sie ihre Sitzungen, "
        "Beschlüsse und den Vorsitz.</p>",
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Digitalministerkonferenz",
        )
    else:
        site.root_page = home
        site.save()
    return home


@transaction.atomic
def load_site_content() -> int:
    """Create the German page tree under the start page and its English translation.

    Returns the number of pages created (0 on a second run).
    """
    home_de = _german_home()
    locale_en, _ = Locale.objects.get_or_create(language_code="en")
    created = 0
    home_en = home_de.get_translation_or_none(locale_en)
    if home_en is None:
        home_en = home_de.copy_for_translation(locale_en).specific
        home_en.title = home_en.draft_title = "Conference of Digital Ministers"
        home_en.intro = (
            "<p>The Conference of Digital Ministers (DMK) is the Länder's body for digital "
            "policy and digital transformation. Here you find its sessions, resolutions and "
            "chair.</p>"
        )
        home_en.save_revision().publish()
        created += 1

    def walk(specs: list[Spec], parent_de: Page, parent_en: Page) -> None:
        nonlocal created
        for spec in specs:
            page_de, n_de = _ensure(spec, parent_de, "de", None)
            page_en, n_en = _ensure(spec, parent_en, "en", page_de)
            created += n_de + n_en
            walk(spec.children, page_de, page_en)

    walk(_specs(), home_de, home_en)
    return created
