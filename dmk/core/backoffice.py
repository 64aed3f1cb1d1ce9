"""Body-scoped back-office viewsets (issue 11 item 1): with several bodies on one install,
the Geschäftsstelle of one body lists, inspects, edits and chooses in ``/verwaltung/`` only
the rows of its own body.

The decision lives in ``dmk.access.policy.backoffice_scope`` (the one permission module);
this module sits below it (``dmk.core``), so the access app registers the function at start-up
(:func:`register_backoffice_scope`, ``dmk.access.apps``). Until it is registered every scoped
queryset is empty: the back office fails closed, never open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from wagtail.admin.viewsets.model import ModelViewSet

Scope = Callable[[Any, QuerySet[Any]], QuerySet[Any]]
_scope: list[Scope] = []


def register_backoffice_scope(scope: Scope) -> None:
    """Install ``scope(user, queryset) -> queryset`` as the back office's row filter."""
    _scope[:] = [scope]


def backoffice_scoped(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """``queryset`` narrowed to the rows ``user`` may handle in the back office (empty until
    a scope is registered)."""
    if not _scope:
        return queryset.none()
    return _scope[0](user, queryset)


class BodyScopedViewMixin:
    """Mixed into every view of a :class:`BodyScopedViewSet`: the listing shows only rows in
    scope, a single-object view answers 404 for a row out of scope, and every choice field
    of a form (e.g. the body of a chair period, the organisation of a membership) offers only
    rows in scope."""

    request: Any

    def get_base_queryset(self) -> QuerySet[Any]:
        return backoffice_scoped(self.request.user, super().get_base_queryset())  # type: ignore[misc]

    def get_object(self, *args: Any, **kwargs: Any) -> Any:
        obj = super().get_object(*args, **kwargs)  # type: ignore[misc]
        rows = type(obj)._default_manager.filter(pk=obj.pk)
        if not backoffice_scoped(self.request.user, rows).exists():
            raise Http404
        return obj

    def get_form(self, *args: Any, **kwargs: Any) -> Any:
        form = super().get_form(*args, **kwargs)  # type: ignore[misc]
        for field in form.fields.values():
            queryset = getattr(field, "queryset", None)
            if isinstance(queryset, QuerySet):
                field.queryset = backoffice_scoped(self.request.user, queryset)
        return form


_SCOPED: dict[type, type] = {}


def _scoped(view_class: type) -> type:
    if view_class not in _SCOPED:
        _SCOPED[view_class] = type(
            f"BodyScoped{view_class.__name__}", (BodyScopedViewMixin, view_class), {}
        )
    return _SCOPED[view_class]


class BodyScopedViewSet(ModelViewSet):
    """A ``ModelViewSet`` whose every view is body-scoped (:class:`BodyScopedViewMixin`)."""

    def construct_view(self, view_class: Any, **kwargs: Any) -> Any:
        return super().construct_view(_scoped(view_class), **kwargs)
