"""Registers the organisation viewsets of ``dmk.bodies.admin`` in the back office."""

from __future__ import annotations

from wagtail import hooks

from dmk.bodies.admin import OrganisationViewSetGroup


@hooks.register("register_admin_viewset")
def register_organisation_viewsets() -> OrganisationViewSetGroup:
    return OrganisationViewSetGroup()
