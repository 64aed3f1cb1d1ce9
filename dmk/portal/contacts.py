"""Contact directory, self-service and "Meine Daten" (issue 3 items 6 and 7): thin views over
``dmk.bodies`` selectors and services; every permission from ``dmk.access.policy``."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dmk.access.policy import (
    can_erase_person,
    can_export_contacts,
    can_open_directory,
    visible_contact_fields,
    visible_persons,
)
from dmk.bodies.forms import ContactForm
from dmk.bodies.models import MembershipRole, Organization, Person, State
from dmk.bodies.selectors import directory_persons
from dmk.bodies.services import person_erase, person_update_contact
from dmk.core.downloads import attach_filename
from dmk.core.models import ActivityLog
from dmk.mailbox.selectors import conversations_of_address
from dmk.portal import exports


def _require_directory(request: HttpRequest) -> None:
    if not can_open_directory(request.user):
        raise PermissionDenied


def _param(request: HttpRequest, name: str, limit: int) -> str:
    """GET parameter ``name``, cut to ``limit`` characters, without control characters (a
    NUL byte is refused by PostgreSQL and SQLite alike: never a 500)."""
    return "".join(ch for ch in request.GET.get(name, "")[:limit] if ch.isprintable())


def _shown(request: HttpRequest, person: Person) -> Person:
    """An unsaved copy of ``person`` in which every contact field ``request.user`` may not
    read is empty (:func:`dmk.access.policy.visible_contact_fields`, issue 3 item 6), so
    templates and file formats cannot show a restricted value. Never save the copy."""
    fields = visible_contact_fields(request.user, person)
    shown = copy.copy(person)
    for name in Person.CONTACT_FIELDS:
        if name not in fields:
            setattr(shown, name, "")
    return shown


def _all_shown(request: HttpRequest, persons: Iterable[Person]) -> list[Person]:
    return [_shown(request, person) for person in persons]


def _filtered(request: HttpRequest):
    org = _param(request, "gremium", 10)
    persons = directory_persons(
        query=_param(request, "q", 100),
        state_code=_param(request, "land", 5),
        # at most 9 digits: larger numbers overflow the database's integer (never a 500)
        # ASCII digits only: "²".isdigit() is True but int("²") fails (never a 500)
        organization_id=int(org) if org.isascii() and org.isdigit() and len(org) <= 9 else None,
        role=request.GET.get("rolle", "")
        if request.GET.get("rolle", "") in MembershipRole.values
        else "",
    )
    return visible_persons(request.user, persons)


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    """``/intern/kontakte/``: search by name, filter by Land, organisation and role."""
    _require_directory(request)
    context = {
        "persons": _all_shown(request, _filtered(request)),
        "states": State.objects.order_by("name_de"),
        "organizations": Organization.objects.order_by("sort_key", "pk"),
        "roles": MembershipRole.choices,
        "filters": {
            "q": request.GET.get("q", ""),
            "land": request.GET.get("land", ""),
            "gremium": request.GET.get("gremium", ""),
            "rolle": request.GET.get("rolle", ""),
        },
        "query_string": request.GET.urlencode(),
        "can_export": can_export_contacts(request.user),
    }
    return render(request, "portal/contacts.html", context)


def _visible_person(request: HttpRequest, pk: int) -> Person:
    _require_directory(request)
    return get_object_or_404(visible_persons(request.user, directory_persons()), pk=pk)


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """``/intern/kontakte/<pk>/``: one person's contact page."""
    person = _visible_person(request, pk)
    shown = _shown(request, person)
    # the owner and the Geschäftsstelle see which fields are hidden from everybody else
    restricted = (
        set(person.restricted_fields or ())
        if visible_contact_fields(request.user, person) == frozenset(Person.CONTACT_FIELDS)
        else set()
    )
    return render(
        request,
        "portal/contacts_detail.html",
        {
            "person": shown,
            "restricted": restricted,
            "can_erase": can_erase_person(request.user, person),
        },
    )


@login_required
@require_POST
def contact_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase the personal data of a person who has left (GDPR Art. 17): the Geschäftsstelle
    of the person's body only (:func:`dmk.access.policy.can_erase_person`). 403 for users
    who may erase nobody, 404 for a person outside the user's directory, 403 with a German
    reason for a person of another body's Geschäftsstelle."""
    if not can_erase_person(request.user):
        raise PermissionDenied
    person = _visible_person(request, pk)
    if not can_erase_person(request.user, person):
        raise PermissionDenied(
            _(
                "Die Daten dieser Person darf nur die Geschäftsstelle der Konferenz löschen, "
                "der die Person angehört oder zuletzt angehört hat."
            )
        )
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Bitte bestätigen Sie die Löschung."))
    else:
        try:
            person_erase(person=person, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Die personenbezogenen Daten wurden gelöscht."))
    return redirect("portal:contact_detail", pk=person.pk)


@login_required
def contact_vcard(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's vCard 3.0."""
    person = _visible_person(request, pk)
    filename = f"{person.given_name} {person.family_name}.vcf"
    return exports.vcard_response([_shown(request, person)], filename)


@login_required
def contact_list_vcard(request: HttpRequest) -> HttpResponse:
    """The filtered list as one .vcf file."""
    _require_directory(request)
    return exports.vcard_response(_all_shown(request, _filtered(request)), "DMK-Kontakte.vcf")


def _require_export(request: HttpRequest) -> None:
    _require_directory(request)
    if not can_export_contacts(request.user):
        raise PermissionDenied


@login_required
def contact_list_csv(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV for a German Excel (Geschäftsstelle only)."""
    _require_export(request)
    return exports.csv_response(_all_shown(request, _filtered(request)), "DMK-Kontakte.csv")


@login_required
def contact_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered list as XLSX (Geschäftsstelle only)."""
    _require_export(request)
    return exports.xlsx_response(_all_shown(request, _filtered(request)), "DMK-Kontakte.xlsx")


def _own_person(request: HttpRequest) -> Person:
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        raise Http404(_("Zu Ihrem Konto gibt es keinen Eintrag im Verzeichnis."))
    return person


@login_required
def my_contact(request: HttpRequest) -> HttpResponse:
    """``/intern/kontakte/ich/``: edit one's own contact data; history of changes below."""
    person = _own_person(request)
    if request.method == "POST":
        form = ContactForm(request.POST, instance=Person.objects.get(pk=person.pk))
        if form.is_valid():
            changes = {
                name: form.cleaned_data[name]
                for name in (*Person.CONTACT_FIELDS, "restricted_fields")
            }
            person_update_contact(person=person, actor=request.user, changes=changes)
            return redirect("portal:my_contact")
    else:
        form = ContactForm(instance=person)
    history = ActivityLog.objects.filter(
        action="bodies.person.contact_changed",
        object_type="bodies.person",
        object_id=str(person.pk),
    ).order_by("-pk")
    labels = {f: str(Person._meta.get_field(f).verbose_name) for f in Person.CONTACT_FIELDS}
    labels["restricted_fields"] = _("Sichtbarkeit")
    entries = [
        {
            "at": entry.timestamp,
            "fields": [labels.get(f, f) for f in entry.data.get("fields", [])],
        }
        for entry in history
    ]
    return render(
        request, "portal/contacts_me.html", {"form": form, "person": person, "history": entries}
    )


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """``/intern/meine-daten/``: everything stored about the user as JSON (GDPR Art. 15, 20)."""
    user = request.user
    person = Person.objects.filter(user=user).first()
    data: dict[str, object] = {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "person": None,
        "memberships": [],
        "activity": [],
        "conversations": [],
    }
    if person is not None:
        # the owner sees every field; asked through the one policy function all the same
        data["person"] = model_to_dict(
            _shown(request, person),
            fields=["given_name", "family_name", *Person.CONTACT_FIELDS, "restricted_fields"],
        )
        data["person"]["state"] = person.state.code if person.state_id else None  # type: ignore[index]
        data["memberships"] = [
            {
                "organization": m.organization.name,
                "role": m.role,
                "state": m.on_behalf_of.code if m.on_behalf_of_id else None,
                "chair_period": str(m.chair_period) if m.chair_period_id else None,
                "start_date": m.start_date,
                "end_date": m.end_date,
            }
            for m in person.memberships.select_related(
                "organization", "on_behalf_of", "chair_period"
            )
        ]
    # issue 15 item 4: the person's conversations with the functional mailbox
    data["conversations"] = conversations_of_address(
        user=user, addresses={user.email, person.email if person is not None else ""}
    )
    data["activity"] = [
        {"at": e.timestamp, "action": e.action, "object": e.object_repr, "data": e.data}
        for e in ActivityLog.objects.filter(actor=user).order_by("pk")
    ]
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    filename = "Meine-Daten-DMK.json"
    return attach_filename(response, filename)
