from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import ADMINISTRATORS, AUTHORS, EDITORS
from notes import demo_charts, demo_content, history
from notes.models import Author, Figure, Note, NoteType, Series

DEMO_USERS = [
    # username, password, groups, superuser
    ("editor", "demo-editor-2021", [EDITORS], False),
    ("writer", "demo-writer-2021", [AUTHORS], False),
    ("admin", "demo-admin-2021", [ADMINISTRATORS], True),
]


class Command(BaseCommand):
    help = "Load demo series, authors, topics and notes. Safe to run again: nothing is duplicated."

    @transaction.atomic
    def handle(self, *args, **options):
        series = {
            row["slug"]: Series.objects.update_or_create(slug=row["slug"], defaults=row)[0]
            for row in demo_content.SERIES
        }
        types = {
            row["slug"]: NoteType.objects.update_or_create(slug=row["slug"], defaults=row)[0]
            for row in demo_content.NOTE_TYPES
        }
        authors = {
            row["slug"]: Author.objects.update_or_create(slug=row["slug"], defaults=row)[0]
            for row in demo_content.AUTHORS
        }
        created = sum(
            self._note(row, series=series, types=types, authors=authors)
            for row in demo_content.NOTES
        )
        self.stdout.write(
            f"Demo content: {len(demo_content.NOTES)} notes ({created} new), "
            f"{len(authors)} authors, {len(series)} series."
        )
        if settings.DEBUG:
            self._users(authors)

    def _note(self, row, *, series, types, authors):
        """Create the note unless it exists; an existing note is left as editors left it."""
        if Note.objects.filter(slug=row["slug"]).exists():
            return False
        status = row.get("status", Note.Status.PUBLISHED)
        published_at = None
        if "published" in row:
            naive = datetime.strptime(row["published"], "%Y-%m-%d %H:%M")
            published_at = timezone.make_aware(naive)
        elif "scheduled_in_days" in row:
            published_at = timezone.now() + timedelta(days=row["scheduled_in_days"])
        note = Note.objects.create(
            slug=row["slug"],
            title=row["title"],
            series=series[row["series"]],
            note_type=types[row["type"]],
            summary=row["summary"],
            language=row.get("language", Note.Language.CHINESE),
            status=status,
            published_at=published_at,
        )
        for position, slug in enumerate(row["authors"], start=1):
            note.authorships.create(author=authors[slug], position=position)
        for position, (heading, body) in enumerate(row["sections"], start=1):
            note.sections.create(position=position, heading=heading, body=body)
        for position, spec in enumerate(row.get("figures", []), start=1):
            kind, labels, values, top = spec["chart"]
            draw = demo_charts.bar_chart if kind == "bar" else demo_charts.line_chart
            figure = Figure(
                note=note,
                position=position,
                **{key: spec[key] for key in ("caption", "source", "alt")},
            )
            figure.image = ContentFile(draw(labels, values, top), name=f"figure-{position}.png")
            figure.save()
        note.tags.add(*row["topics"])
        for number, (kind, when, message, (now, before)) in enumerate(
            row.get("corrections", []), start=1
        ):
            previous = history.snapshot_of_note(note)
            previous["sections"] = [
                (pk, heading, body.replace(now, before))
                for pk, heading, body in previous["sections"]
            ]
            note.corrections.create(
                number=number,
                kind=kind,
                message=message,
                created_at=timezone.make_aware(datetime.strptime(when, "%Y-%m-%d %H:%M")),
                previous=previous,
            )
        # Demo notes have not been edited since they were published.
        Note.objects.filter(pk=note.pk).update(updated_at=published_at or timezone.now())
        return True

    def _users(self, authors):
        self.stdout.write("Demo accounts (development only):")
        for username, password, groups, superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.org",
                    "is_staff": True,
                    "is_superuser": superuser,
                },
            )
            if created:
                user.set_password(password)
                user.save()
                user.groups.set(Group.objects.filter(name__in=groups))
                self.stdout.write(f"  {username} / {password}  ({', '.join(groups)})")
            else:
                self.stdout.write(f"  {username} (exists; password unchanged)")
        writer = User.objects.get(username="writer")
        Author.objects.filter(slug="chen-mo", user__isnull=True).update(user=writer)
