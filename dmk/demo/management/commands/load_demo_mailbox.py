"""``manage.py load_demo_mailbox``: text modules and three conversations in the demo mailbox
(issue 15). Run after ``load_demo`` and ``load_demo_meeting``; idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dmk.demo.mailbox import load_demo_mailbox


class Command(BaseCommand):
    help = "Legt Textbausteine und drei Vorgänge im Funktionspostfach der Demo an."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo_mailbox()
        for conversation in result.conversations:
            self.stdout.write(
                f"{conversation.ticket} {conversation.subject}: /intern/postfach/{conversation.pk}/"
            )
