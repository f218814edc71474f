"""Who may do what to a note, checked on the server by the admin and every view."""

from notes.models import Note

#: States in which an author may still change his own note.
AUTHOR_EDITABLE = {Note.Status.DRAFT, Note.Status.REVIEW}


def is_staff_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def is_editor(user) -> bool:
    return is_staff_user(user) and user.has_perm("notes.publish_note")


def owns(user, note) -> bool:
    """True when ``user`` created ``note`` or is credited on it through a linked author."""
    if not is_staff_user(user) or note.pk is None:
        return False
    if note.created_by_id == user.pk:
        return True
    return note.authorships.filter(author__user=user).exists()


def can_view(user, note) -> bool:
    """May see the note in the admin, its preview and its history."""
    if is_editor(user):
        return True
    return user.has_perm("notes.view_note") and owns(user, note)


def can_edit(user, note) -> bool:
    if is_editor(user):
        return user.has_perm("notes.change_note")
    return (
        is_staff_user(user)
        and user.has_perm("notes.change_note")
        and note.status in AUTHOR_EDITABLE
        and owns(user, note)
    )


def can_restore(user, note) -> bool:
    """Editors restore any note's history; authors their own note while they may edit it."""
    return can_edit(user, note)
