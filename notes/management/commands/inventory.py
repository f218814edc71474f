"""Print what the site holds, to compare a restored copy with its source.

    python manage.py inventory [--search 关税 --search tariff] > before.json

The output (JSON) counts and fingerprints the notes with their sections,
bylines and topics, the saved versions, the audit records, the users with
their roles and password hashes, and the media files; and it lists the notes
that a few searches find. Two copies of a site hold the same content exactly
when their inventories are equal (``docs/operations.md``, the restore drill).
"""

import hashlib
import io
import json

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models import Count
from reversion.models import Version

from notes.models import Authorship, Note, NoteEvent, Section, TaggedNote, Topic


def fingerprint(rows) -> dict:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(json.dumps(row, default=str, ensure_ascii=False).encode())
        count += 1
    return {"count": count, "sha256": digest.hexdigest()}


def media_files(directory=""):
    """Every file under the media storage, as (path, size, sha256)."""
    if not default_storage.exists(directory):
        return
    folders, files = default_storage.listdir(directory)
    for name in sorted(files):
        path = f"{directory}/{name}" if directory else name
        with default_storage.open(path, "rb") as handle:
            yield path, default_storage.size(path), hashlib.sha256(handle.read()).hexdigest()
    for folder in sorted(folders):
        yield from media_files(f"{directory}/{folder}" if directory else folder)


class Command(BaseCommand):
    help = "Print counts and fingerprints of the content, users, media and some searches as JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "--search",
            action="append",
            default=[],
            metavar="QUERY",
            help="a search whose results to list (repeat for several); "
            "default: the names of the five most used topics",
        )

    def handle(self, *args, **options):
        queries = options["search"] or list(
            Topic.objects.annotate(n=Count("tagged_notes"))
            .order_by("-n", "name")
            .values_list("name", flat=True)[:5]
        )
        User = get_user_model()
        inventory = {
            "notes": dict(
                Note.objects.order_by("status").values_list("status").annotate(n=Count("pk"))
            ),
            "note_rows": fingerprint(
                Note.objects.order_by("pk").values_list(
                    "pk", "slug", "title", "summary", "status", "published_at", "version"
                )
            ),
            "sections": fingerprint(
                Section.objects.order_by("pk").values_list(
                    "pk", "note_id", "position", "heading", "body"
                )
            ),
            "bylines": fingerprint(
                Authorship.objects.order_by("pk").values_list(
                    "note_id", "author_id", "position", "byline"
                )
            ),
            "topics": fingerprint(
                TaggedNote.objects.order_by("pk").values_list("content_object_id", "tag__name")
            ),
            "versions": fingerprint(
                Version.objects.order_by("pk").values_list(
                    "pk", "revision_id", "content_type__model", "object_id", "serialized_data"
                )
            ),
            "events": fingerprint(
                NoteEvent.objects.order_by("pk").values_list("note_id", "actor_id", "action", "at")
            ),
            "admin_log": fingerprint(
                LogEntry.objects.order_by("pk").values_list("user_id", "object_id", "action_flag")
            ),
            "users": fingerprint(
                (
                    user.username,
                    user.email,
                    user.password,
                    user.is_active,
                    user.is_staff,
                    user.is_superuser,
                    sorted(group.name for group in user.groups.all()),
                )
                for user in User.objects.order_by("pk").prefetch_related("groups")
            ),
            "media": fingerprint(media_files()),
            "search": self.search(queries),
        }
        self.stdout.write(json.dumps(inventory, ensure_ascii=False, indent=2, sort_keys=True))

    @staticmethod
    def search(queries):
        """What the site's search (``manage.py search``) finds for ``queries``."""
        out = io.StringIO()
        call_command("search", *queries, stdout=out)
        return json.loads(out.getvalue())
