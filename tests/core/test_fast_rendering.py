"""The fast paths of issue 17 item 1 give exactly what Django's slow ones give.

``ListSelect`` (``dmk/core/widgets.py``) must render what ``forms.Select`` renders, ``slug_url``
(``dmk/core/links.py``) what ``reverse`` gives, and the memo of ``date_span`` the same text in
every language — a speed-up that changes a byte of the page is a bug.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from dmk.core.links import slug_url
from dmk.core.templatetags.dmk_tags import date_span
from dmk.core.widgets import ListSelect, PlainChoices

CHOICES = [
    ("", "alle"),
    ("a&b", 'Sitzung "A" & <B>'),
    ("2", "Zwei"),
    (3, "Drei"),
]


def _normalised(html: str) -> str:
    """Markup without the whitespace between tags (Django's templates put newlines there)."""
    return re.sub(r">\s+<", "><", str(html)).strip()


def _pair(widget_class: type[forms.Select], **field_kwargs):
    class PairForm(forms.Form):
        wahl = forms.ChoiceField(
            label="Wahl",
            required=False,
            widget=widget_class(attrs={"class": "kern-form-input__select"}),
            **field_kwargs,
        )

    return PairForm


@pytest.mark.parametrize(
    "data",
    [None, {"wahl": "2"}, {"wahl": "a&b"}, {"wahl": "3"}, {"wahl": "gibt-es-nicht"}],
)
def test_list_select_renders_what_django_select_renders(data):
    django_form = _pair(forms.Select, choices=CHOICES, help_text="Hinweis")(data)
    ours = _pair(ListSelect, choices=CHOICES, help_text="Hinweis")(data)
    django_form.is_valid()
    ours.is_valid()
    assert _normalised(ours["wahl"]) == _normalised(django_form["wahl"])


def test_list_select_marks_the_error_and_escapes_values_and_labels():
    form = _pair(ListSelect, choices=CHOICES)({"wahl": "gibt-es-nicht"})
    assert not form.is_valid()
    html = str(form["wahl"])
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_wahl_error"' in html
    assert '<option value="a&amp;b">Sitzung &quot;A&quot; &amp; &lt;B&gt;</option>' in html
    assert "<B>" not in html


def test_list_select_renders_option_groups_like_django():
    grouped = [("", "alle"), ("2025", [("x", "X"), ("y", "Y")]), ("z", "Z")]
    django_form = _pair(forms.Select, choices=grouped)({"wahl": "y"})
    ours = _pair(ListSelect, choices=grouped)({"wahl": "y"})
    assert _normalised(ours["wahl"]) == _normalised(django_form["wahl"])
    assert '<optgroup label="2025">' in str(ours["wahl"])


def test_plain_choices_are_taken_as_they_are_and_validate():
    form = _pair(ListSelect)({"wahl": "b"})
    form.fields["wahl"].choices = PlainChoices([("", "alle"), ("a", "A"), ("b", "B")])
    assert form.is_valid()
    assert form.cleaned_data["wahl"] == "b"
    assert list(form.fields["wahl"].choices) == [("", "alle"), ("a", "A"), ("b", "B")]
    assert '<option value="b" selected>B</option>' in str(form["wahl"])
    refused = _pair(ListSelect)({"wahl": "c"})
    refused.fields["wahl"].choices = PlainChoices([("", "alle"), ("a", "A")])
    assert not refused.is_valid()


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(
    "viewname", ["website:resolution_detail", "website:meeting_detail", "website:paper_detail"]
)
@pytest.mark.parametrize("slug", ["1-dmk", "a_b-C9", "x"])
def test_slug_url_is_reverse(language, viewname, slug):
    with translation.override(language):
        assert slug_url(viewname, slug) == reverse(viewname, kwargs={"slug": slug})


def test_slug_url_follows_the_language_of_each_call():
    with translation.override("en"):
        assert slug_url("website:resolution_detail", "r1") == "/en/beschluesse/r1/"
    with translation.override("de"):
        assert slug_url("website:resolution_detail", "r1") == "/beschluesse/r1/"


@pytest.mark.parametrize("slug", ["", "mit leerzeichen", "ä-umlaut", "a/b"])
def test_slug_url_refuses_what_reverse_refuses(slug):
    with pytest.raises(NoReverseMatch):
        reverse("website:resolution_detail", kwargs={"slug": slug})
    with pytest.raises(NoReverseMatch):
        slug_url("website:resolution_detail", slug)


def test_date_span_memo_gives_each_language_its_own_text():
    day = datetime.date(2024, 10, 17)
    with translation.override("de"):
        assert date_span(day) == "17. Oktober 2024"
        assert date_span(day, datetime.date(2024, 10, 18)) == "17. Oktober 2024 – 18. Oktober 2024"
    with translation.override("en"):
        assert date_span(day) == "Oct. 17, 2024"
    with translation.override("de"):
        assert date_span(day) == "17. Oktober 2024"
        assert date_span(None) == "Termin noch offen"
