"""Writing the audit log (STYLE.md "Audit")."""

from __future__ import annotations

from typing import Any

from django.db import models

from dmk.core.models import ActivityLog

_SECRET_KEYS = frozenset({"password", "password1", "password2", "token", "code", "secret", "key"})


def log_action(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    ip_address: str | None = None,
    data: dict[str, Any] | None = None,
) -> ActivityLog:
    """Write one audit entry and return it.

    ``action`` is a dotted code (``app.object.verb``); ``actor`` a user or None (system);
    ``obj`` the model instance acted on; ``data`` JSON-serialisable details. Keys that name a
    secret (password, token, code, secret, key) are refused with ValueError, so no secret can
    reach the log by accident (issue 4, item 7).
    """
    details = dict(data or {})
    leaked = _SECRET_KEYS.intersection(k.lower() for k in details)
    if leaked:
        raise ValueError(f"audit data must not contain secrets: {sorted(leaked)}")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return ActivityLog.objects.create(
        action=action,
        actor=actor,
        ip_address=ip_address,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        data=details,
    )
