"""Form widgets of our own (issue 17 item 1).

:class:`ListSelect` is Django's ``Select`` written out in Python: Django's widget builds a
dictionary and renders a template for every ``<option>`` (~50 µs an option: 25 ms for the
archive filter once the record holds 500 meetings). The markup is the same — the attributes
from ``build_attrs`` (including the ``aria-invalid``/``aria-describedby`` that ``BoundField``
adds), ``selected`` on the first matching option, option groups — and every value and label
is escaped, attributes in Django's order (``django/forms/widgets/attrs.html``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class PlainChoices(BaseChoiceIterator):
    """Choices already in Django's canonical form, a list of ``(value, label)`` pairs.

    Django re-normalises a plain list on every assignment to a field and to its widget
    (~3 µs an item, twice: 4 ms for 567 meetings); an iterator of this kind is taken as it is.
    """

    def __init__(self, pairs: list[tuple[Any, Any]]):
        self.pairs = pairs

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


class ListSelect(forms.Select):
    """A single ``<select>`` for long choice lists; renders what ``forms.Select`` renders."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        wanted = set(self.format_value(value))
        parts = [f'<select name="{escape(name)}"{_attributes(final_attrs)}>']
        found = False

        def options(choices: Iterable[tuple[Any, Any]]) -> None:
            nonlocal found
            for option_value, label in choices:
                text = "" if option_value is None else str(option_value)
                selected = not found and text in wanted
                found = found or selected
                parts.append(
                    f'<option value="{escape(text)}"{" selected" if selected else ""}>'
                    f"{escape(label)}</option>"
                )

        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(group_value)}">')
                options(group_label)
                parts.append("</optgroup>")
            else:
                options([(group_value, group_label)])
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 - every value and label escaped above


def _attributes(attrs: dict[str, Any]) -> str:
    """``attrs`` as Django's ``attrs.html`` writes them: in their order, ``True`` as a bare
    name, ``False`` left out, every value escaped."""
    return "".join(
        f" {escape(key)}" if value is True else f' {escape(key)}="{escape(value)}"'
        for key, value in attrs.items()
        if value is not False
    )
