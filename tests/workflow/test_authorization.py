"""Who may reach what: every note URL × role × note state, against an explicit table.

The expected outcome of each case is computed from three small tables below:
what each role may do (ABILITIES), what each URL needs (NOTE_URLS), and in which
states a workflow step applies (the URL's last column).

Outcomes: ``ok`` (page shown, or the change made), ``refused`` (allowed to try,
but the note's state does not allow the step: an error message and no change of
state), ``no`` (403, 404, or the admin's "does not exist" redirect; nothing
changes), ``login`` (sent to sign in; nothing changes), ``404`` (public page).
"""

import pytest
from django.contrib.messages import constants
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import ADMINISTRATORS, AUTHORS, EDITORS
from notes.history import save_revision, versions_of
from notes.models import Note
from tests.factories import UserFactory
from tests.workflow.conftest import complete_note
from tests.workflow.formdata import note_form_data

pytestmark = pytest.mark.django_db

ALL = {"draft", "review", "scheduled", "published", "withdrawn", "deleted"}
STATES = sorted(ALL)
ROLES = ["anonymous", "inactive_staff", "owner", "other_author", "editor", "administrator"]

#: What each signed-in role may do to a note, by state. Anything not listed: nothing.
ABILITIES = {
    "owner": {"view": ALL, "edit": {"draft", "review"}},
    "editor": {
        "view": ALL,
        "edit": ALL,
        "publish": ALL,
        # Deleted notes are not deleted again, nor listed (so not selectable) by default.
        "delete": ALL - {"deleted"},
        "bulk": ALL - {"deleted"},
    },
}

#: url name -> (method, ability needed, states in which the step applies; None = always).
NOTE_URLS = {
    "change_page": ("GET", "view", None),
    "save": ("POST", "edit", None),
    "preview": ("GET", "view", None),
    "preview_form": ("POST", "view", None),
    "history": ("GET", "view", None),
    "diff": ("GET", "view", None),
    "restore": ("POST", "edit", None),
    "delete_page": ("GET", "delete", None),
    "delete_confirm": ("POST", "delete", None),
    "recover_button": ("POST", "publish", {"deleted"}),
    "submit_button": ("POST", "edit", {"draft"}),
    "publish_button": ("POST", "publish", {"draft", "review", "scheduled", "withdrawn"}),
    "withdraw_button": ("POST", "publish", {"scheduled", "published"}),
    "publish_action": ("POST", "bulk", {"draft", "review", "scheduled", "withdrawn"}),
    "withdraw_action": ("POST", "bulk", {"scheduled", "published"}),
    "public_page": ("GET", None, None),
}


def expected(url, role, state):
    _method, need, applies = NOTE_URLS[url]
    if url == "public_page":
        return "ok" if state == "published" else "404"
    if role in ("anonymous", "inactive_staff"):
        return "login"
    if state not in ABILITIES.get(role, {}).get(need, set()):
        return "no"
    if applies is not None and state not in applies:
        return "refused"
    return "ok"


CASES = [(url, role, state) for url in NOTE_URLS for role in ROLES for state in STATES]


def make_user(role):
    groups = {
        "owner": [AUTHORS],
        "other_author": [AUTHORS],
        "editor": [EDITORS],
        "administrator": [ADMINISTRATORS],
        "inactive_staff": [EDITORS],
    }
    if role == "anonymous":
        return None
    return UserFactory(
        username=role, is_staff=True, is_active=role != "inactive_staff", roles=groups[role]
    )


def make_note(state, owner):
    now = timezone.now()
    status, published_at = {
        "draft": ("draft", None),
        "review": ("review", None),
        "scheduled": ("published", now + timezone.timedelta(days=2)),
        "published": ("published", now - timezone.timedelta(days=2)),
        "withdrawn": ("withdrawn", now - timezone.timedelta(days=2)),
        "deleted": ("deleted", now - timezone.timedelta(days=2)),
    }[state]
    note = complete_note(status=status, published_at=published_at, created_by=owner)
    save_revision(note, user=owner, comment="初稿")
    return note


def request_for(url, note):
    """(method, path, data) for one URL on ``note``."""
    change = reverse("admin:notes_note_change", args=[note.pk])
    changelist = reverse("admin:notes_note_changelist")
    version = versions_of(note).first()

    def form(**extra):
        return note_form_data(note, **extra)

    return {
        "change_page": ("GET", change, None),
        "save": ("POST", change, lambda: form(title="改过的标题")),
        "preview": ("GET", reverse("admin:notes_note_preview", args=[note.pk]), None),
        "preview_form": (
            "POST",
            reverse("admin:notes_note_preview", args=[note.pk]),
            lambda: form(title="预览标题"),
        ),
        "history": ("GET", reverse("admin:notes_note_history", args=[note.pk]), None),
        "diff": ("GET", reverse("admin:notes_note_version", args=[note.pk, version.pk]), None),
        "restore": (
            "POST",
            reverse("admin:notes_note_restore", args=[note.pk, version.pk]),
            lambda: {},
        ),
        "delete_page": ("GET", reverse("admin:notes_note_delete", args=[note.pk]), None),
        "delete_confirm": (
            "POST",
            reverse("admin:notes_note_delete", args=[note.pk]),
            lambda: {"post": "yes"},
        ),
        "recover_button": ("POST", change, lambda: form(_recover="1")),
        "submit_button": ("POST", change, lambda: form(_submit_review="1")),
        "publish_button": ("POST", change, lambda: form(_publish="1")),
        "withdraw_button": ("POST", change, lambda: form(_withdraw="1")),
        "publish_action": (
            "POST",
            changelist,
            lambda: {"action": "publish_selected", "_selected_action": [note.pk], "index": 0},
        ),
        "withdraw_action": (
            "POST",
            changelist,
            lambda: {"action": "withdraw_selected", "_selected_action": [note.pk], "index": 0},
        ),
        "public_page": ("GET", note.get_absolute_url(), None),
    }[url]


def classify(url, response, before, after):
    status = response.status_code
    location = response.get("Location", "")
    if url == "public_page":
        return {200: "ok", 404: "404"}.get(status, f"unexpected {status}")
    if status == 302 and location.startswith(reverse("admin:login")):
        return "login"
    if status in (403, 404) or (status == 302 and location == reverse("admin:index")):
        return "no"
    if response.request["REQUEST_METHOD"] == "GET" or url == "preview_form":
        return "ok" if status == 200 else f"unexpected {status}"
    levels = [m.level for m in response.wsgi_request._messages]
    state_changed = before.status != after.status or after.events.exists()
    if url in ("save", "restore"):
        return "ok" if after.version > before.version else "no"
    if state_changed:
        return "ok"
    return "refused" if constants.ERROR in levels else "no"


@pytest.mark.parametrize(("url", "role", "state"), CASES, ids=[f"{u}-{r}-{s}" for u, r, s in CASES])
def test_note_urls(client, url, role, state):
    owner = UserFactory(username="owner", is_staff=True, roles=[AUTHORS])
    user = owner if role == "owner" else make_user(role)
    note = make_note(state, owner)
    method, path, data = request_for(url, note)
    if user is not None:
        client.force_login(user)
    before = Note.objects.get(pk=note.pk)
    response = client.get(path) if method == "GET" else client.post(path, data())
    after = Note.objects.get(pk=note.pk)
    outcome = classify(url, response, before, after)
    assert outcome == expected(url, role, state), (response.status_code, response.get("Location"))
    if outcome in ("no", "login", "refused"):
        assert after.status == before.status and not after.events.exists()
    if outcome in ("no", "login"):
        assert (after.version, after.title) == (before.version, before.title)
    if url.startswith("preview") and outcome == "ok":
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


#: Staff roles that have passed (or need not pass) the second sign-in step.
STAFF = {"owner", "other_author", "editor", "administrator"}
#: Two more roles for pages not about one note: an administrator who must set up
#: two-step sign-in and has not, and an editor who has an authenticator but whose
#: session has not passed the code step.
SITE_ROLES = [*ROLES, "must_enrol", "unverified"]
HALF_WAY = {"must_enrol", "unverified"}

#: Pages not about one note: url name -> roles that may open it.
SITE_URLS = {
    "admin:index": STAFF,
    "admin:notes_note_changelist": {"owner", "other_author", "editor"},
    "admin:notes_note_add": {"owner", "other_author", "editor"},
    "admin:notes_topic_changelist": {"owner", "other_author", "editor"},
    "admin:accounts_user_changelist": {"administrator"},
    "admin:accounts_user_add": {"administrator"},
    "admin:auth_group_changelist": {"administrator"},
    "admin:auth_group_add": set(),  # superusers only
    "accounts:password_change": STAFF | HALF_WAY,
    "accounts:two_factor": STAFF | HALF_WAY,
    "accounts:two_factor_setup": STAFF | {"must_enrol"},  # a new phone needs the old one
}
SITE_CASES = [(url, role) for url in SITE_URLS for role in SITE_ROLES]


def make_site_user(role, settings):
    if role == "must_enrol":
        settings.REQUIRE_2FA_FOR_ADMINS = True
        return make_user("administrator")
    if role == "unverified":
        user = make_user("editor")
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        return user
    return make_user(role if role != "owner" else "other_author")


@pytest.mark.parametrize(("url", "role"), SITE_CASES, ids=[f"{u}-{r}" for u, r in SITE_CASES])
def test_site_urls(client, settings, url, role):
    user = make_site_user(role, settings)
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(url))
    if role in SITE_URLS[url]:
        assert response.status_code == 200
    elif role in ("anonymous", "inactive_staff") or (role in HALF_WAY and url.startswith("admin:")):
        assert response.status_code == 302 and "login" in response["Location"]
    else:
        assert response.status_code == 403
