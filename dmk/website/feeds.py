"""RSS and Atom feeds of the public website (issue 7 item 5): only public objects.

Feeds are read as an anonymous visitor (``AnonymousUser``), whatever the request's user, so
a feed cached or shared never carries anything internal (DOMAIN rule 11).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from dmk.bodies.models import State
from dmk.resolutions.models import Resolution
from dmk.resolutions.selectors import resolution_list, resolution_outcome_sentence
from dmk.website.models import PressReleasePage

FEED_LENGTH = 50


def _midnight(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class ResolutionFeed(Feed):
    title = _("Beschlüsse der Digitalministerkonferenz")
    description = _("Die neuesten veröffentlichten Beschlüsse.")

    def link(self) -> str:
        return reverse("website:resolution_index")

    def items(self) -> list[Resolution]:
        self._states = list(State.objects.order_by("name_de"))
        return list(
            resolution_list(user=AnonymousUser())
            .select_related("ballot")
            .prefetch_related("ballot__votes")[:FEED_LENGTH]
        )

    def item_title(self, item: Resolution) -> str:
        return item.title

    def item_description(self, item: Resolution) -> str:
        """Meeting, number and the outcome in the one wording of
        :func:`dmk.voting.wording.outcome_sentence` (issue 11, Build 3): the Länder that
        abstained or did not vote are named; for the historic record, that the per-Land votes
        are not known."""
        head = f"{item.meeting.name}" + (f" – {item.number}" if item.number else "")
        outcome = resolution_outcome_sentence(item, states=getattr(self, "_states", None))
        return f"{head}. {outcome}"

    def item_pubdate(self, item: Resolution) -> datetime.datetime | None:
        return _midnight(item.decided_on)


class ResolutionAtomFeed(ResolutionFeed):
    feed_type = Atom1Feed
    subtitle = ResolutionFeed.description


class NewsFeed(Feed):
    title = _("Pressemitteilungen der Digitalministerkonferenz")
    description = _("Die neuesten Pressemitteilungen.")

    def link(self) -> str:
        return "/" if (get_language() or "de").startswith("de") else "/en/"

    def items(self) -> list[Any]:
        language = (get_language() or "de")[:2]
        return list(
            PressReleasePage.objects.live()
            .public()
            .filter(locale__in=Locale.objects.filter(language_code=language))
            .order_by("-date", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: PressReleasePage) -> str:
        return item.title

    def item_description(self, item: PressReleasePage) -> str:
        return item.teaser

    def item_link(self, item: PressReleasePage) -> str:
        return item.url

    def item_pubdate(self, item: PressReleasePage) -> datetime.datetime | None:
        return _midnight(item.date)


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description
