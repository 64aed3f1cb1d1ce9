"""Enumerations every app may use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who may see a paper, file or resolution (DOMAIN rule 11).

    - ``PUBLIC``: everybody, including the website.
    - ``INTERNAL``: all member and deputy Länder users and the Geschäftsstelle.
    - ``RESTRICTED``: named bodies or people (e.g. a working group) and the Geschäftsstelle.
    - ``DRAFT``: only its author Land and the Geschäftsstelle.
    """

    PUBLIC = "public", _("öffentlich")
    INTERNAL = "internal", _("intern")
    RESTRICTED = "restricted", _("eingeschränkt")
    DRAFT = "draft", _("Entwurf")
