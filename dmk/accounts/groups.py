"""The "Geschäftsstelle" group: who may open the back office ``/verwaltung/`` (seed §2.4).

The group is created by a data migration (``accounts.0002``) and topped up after every
``migrate`` (``post_migrate``), so permissions of models added later are granted too.
It holds:

- ``wagtailadmin.access_admin`` — the back office itself (still behind the second factor);
- on the page tree's root: add, change, publish, lock, unlock and bulk-delete pages;
- on the root collection: add, change, choose and delete documents and images;
- ``core.view_activitylog`` — read the audit log; never add, change or delete it (issue 4 item 7);
- ``accounts``: view, add and change user accounts (invitations), no delete (deactivate instead);
- the domain apps (bodies, meetings, papers, voting, resolutions, mailbox, website — e.g. contact
  requests): view, add and change; deleting is left to services that keep the record
  consistent.
"""

from __future__ import annotations

from typing import Any

SECRETARIAT_GROUP_NAME = "Geschäftsstelle"

_DOMAIN_APPS = ("bodies", "meetings", "papers", "voting", "resolutions", "mailbox", "website")
_DOMAIN_ACTIONS = ("view", "add", "change")
_PAGE_CODENAMES = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
    "bulk_delete_page",
)
_MEDIA_ACTIONS = ("add", "change", "choose", "delete")


def sync_secretariat_group(apps: Any) -> Any:
    """Create or complete the Geschäftsstelle group; idempotent, never removes a permission.

    ``apps`` is a migration's historical registry or ``django.apps.apps``. Returns the group.
    Permissions or pages not (yet) in the database are skipped silently.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _created = group_model.objects.get_or_create(name=SECRETARIAT_GROUP_NAME)

    wanted = [("wagtailadmin", "access_admin"), ("core", "view_activitylog")]
    wanted += [("accounts", f"{action}_user") for action in _DOMAIN_ACTIONS]
    for label in _DOMAIN_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            wanted += [(label, f"{action}_{model._meta.model_name}") for action in _DOMAIN_ACTIONS]
    for app_label, codename in wanted:
        permission = permission_model.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)

    page_model = apps.get_model("wagtailcore", "Page")
    root_page = page_model.objects.filter(depth=1).first()
    if root_page is not None:
        group_page_permission = apps.get_model("wagtailcore", "GroupPagePermission")
        for codename in _PAGE_CODENAMES:
            permission = permission_model.objects.filter(
                content_type__app_label="wagtailcore", codename=codename
            ).first()
            if permission is not None:
                group_page_permission.objects.get_or_create(
                    group=group, page=root_page, permission=permission
                )

    collection_model = apps.get_model("wagtailcore", "Collection")
    root_collection = collection_model.objects.filter(depth=1).first()
    if root_collection is not None:
        group_collection_permission = apps.get_model("wagtailcore", "GroupCollectionPermission")
        for app_label, model_name in (("wagtaildocs", "document"), ("wagtailimages", "image")):
            for action in _MEDIA_ACTIONS:
                permission = permission_model.objects.filter(
                    content_type__app_label=app_label, codename=f"{action}_{model_name}"
                ).first()
                if permission is not None:
                    group_collection_permission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )
    return group
