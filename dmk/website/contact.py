"""The public contact form: validation, honeypot, rate limit per IP (issue 7 item 1)."""

from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dmk.website import services

#: At most this many submissions per IP address and hour (then 429).
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 60 * 60
#: Subjects that ``?betreff=…`` may preset.
PRESET_SUBJECTS = {"barrierefreiheit": _("Barriere melden: Rückmeldung zur Barrierefreiheit")}


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Ihr Name"), max_length=200)
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        error_messages={"invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an.")},
    )
    subject = forms.CharField(label=_("Betreff"), max_length=200)
    message = forms.CharField(
        label=_("Ihre Nachricht"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    # Honeypot: hidden by CSS (.dmk-hp); people leave it empty, simple bots fill it.
    website = forms.CharField(label=_("Bitte leer lassen"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("Bitte füllen Sie dieses Feld aus.")
            field.widget.attrs["class"] = "kern-form-input__input"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def full_clean(self) -> None:
        super().full_clean()
        # re-style fields once the errors are known
        for name, field in self.fields.items():
            if name in self._errors:
                field.widget.attrs["class"] = "kern-form-input__input kern-form-input__input--error"
                field.widget.attrs["aria-invalid"] = "true"
                field.widget.attrs["aria-describedby"] = f"{name}-error"


def client_ip(request: HttpRequest) -> str:
    """The client's IP address (``REMOTE_ADDR``; a proxy in front must set it)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _rate_limited(ip: str) -> bool:
    """Count this submission; True when ``ip`` sent more than RATE_LIMIT in the window."""
    key = f"dmk:contact:rate:{ip}"
    if cache.add(key, 1, RATE_WINDOW_SECONDS):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired in between
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        return False
    return count > RATE_LIMIT


def serve_contact_page(page: object, request: HttpRequest) -> HttpResponse:
    """GET shows the form, POST validates and stores (or answers 429 when flooded)."""
    context = page.get_context(request)  # type: ignore[attr-defined]
    template = page.get_template(request)  # type: ignore[attr-defined]
    if request.method == "POST":
        ip = client_ip(request)
        if _rate_limited(ip):
            context["rate_limited"] = True
            context["form"] = ContactForm()
            return TemplateResponse(request, template, context, status=429)
        form = ContactForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if not data["website"]:
                services.store_contact_message(
                    name=data["name"],
                    email=data["email"],
                    subject=data["subject"],
                    message=data["message"],
                    language=(get_language() or "de")[:2],
                    ip_address=ip,
                )
            context["sent"] = True
            context["form"] = None
            return TemplateResponse(request, template, context)
        context["form"] = form
        return TemplateResponse(request, template, context, status=200)
    preset = PRESET_SUBJECTS.get(request.GET.get("betreff", ""))
    context["form"] = ContactForm(initial={"subject": preset} if preset else None)
    return TemplateResponse(request, template, context)
