"""No privilege escalation through users or groups: role × change → allowed or refused.

A refused change leaves the database exactly as it was, whatever the response
(403, a form error, or a save that ignores read-only fields).
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import ADMINISTRATORS, AUTHORS, EDITORS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["author", "editor", "administrator", "superuser"]

#: change -> roles allowed to make it
ALLOWED = {
    "user_change": {"administrator", "superuser"},  # another role among the three, a name
    "outside_role": {"superuser"},  # membership of a group that is not one of the roles
    "group_change": {"superuser"},  # every permission for the Administrators group
    "group_add": {"superuser"},
    "group_delete": {"superuser"},
    "permission_grant": {"superuser"},
    "superuser_grant": {"superuser"},
    "superuser_change": {"superuser"},  # editing an existing superuser
}
CASES = [(change, role) for change in ALLOWED for role in ROLES]


def make_actor(role):
    if role == "superuser":
        return UserFactory(username="root", is_staff=True, is_superuser=True)
    groups = {"author": AUTHORS, "editor": EDITORS, "administrator": ADMINISTRATORS}
    return UserFactory(username=role, is_staff=True, roles=[groups[role]])


def snapshot():
    users = {
        u.username: (
            u.display_name,
            u.is_superuser,
            u.is_staff,
            u.is_active,
            sorted(u.groups.values_list("name", flat=True)),
            sorted(u.user_permissions.values_list("codename", flat=True)),
        )
        for u in User.objects.all()
    }
    groups = {
        g.name: sorted(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()
    }
    return users, groups


def user_form(user, **changes):
    now = timezone.localtime()
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [g.pk for g in user.groups.all()],
        "last_login_0": now.strftime("%Y-%m-%d"),
        "last_login_1": now.strftime("%H:%M:%S"),
        "date_joined_0": now.strftime("%Y-%m-%d"),
        "date_joined_1": now.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return data


def attempt(client, change, target, root):
    """POST the change; returns what the database should show if it was allowed."""
    everything = Group.objects.get(name="Everything")
    administrators = Group.objects.get(name=ADMINISTRATORS)
    user_url = reverse("admin:accounts_user_change", args=[target.pk])
    if change == "user_change":
        editors = Group.objects.get(name=EDITORS)
        client.post(user_url, user_form(target, display_name="新名字", groups=[editors.pk]))
        return lambda: User.objects.get(pk=target.pk).display_name == "新名字"
    if change == "outside_role":
        client.post(user_url, user_form(target, groups=[everything.pk]))
        return lambda: target.groups.filter(pk=everything.pk).exists()
    if change == "group_change":
        every = list(Permission.objects.values_list("pk", flat=True))
        client.post(
            reverse("admin:auth_group_change", args=[administrators.pk]),
            {"name": ADMINISTRATORS, "permissions": every},
        )
        return lambda: administrators.permissions.count() == len(every)
    if change == "group_add":
        client.post(reverse("admin:auth_group_add"), {"name": "New", "permissions": []})
        return lambda: Group.objects.filter(name="New").exists()
    if change == "group_delete":
        client.post(reverse("admin:auth_group_delete", args=[everything.pk]), {"post": "yes"})
        return lambda: not Group.objects.filter(pk=everything.pk).exists()
    if change == "permission_grant":
        perm = Permission.objects.get(codename="change_group")
        client.post(user_url, user_form(target, user_permissions=[perm.pk]))
        return lambda: target.user_permissions.filter(pk=perm.pk).exists()
    if change == "superuser_grant":
        client.post(user_url, user_form(target, is_superuser="on"))
        return lambda: User.objects.get(pk=target.pk).is_superuser
    if change == "superuser_change":
        client.post(
            reverse("admin:accounts_user_change", args=[root.pk]),
            user_form(root, is_superuser="on", display_name="接管"),
        )
        return lambda: User.objects.get(pk=root.pk).display_name == "接管"
    raise AssertionError(change)


@pytest.mark.parametrize(("change", "role"), CASES, ids=[f"{c}-{r}" for c, r in CASES])
def test_who_may_change_users_and_groups(client, change, role):
    everything = Group.objects.create(name="Everything")
    everything.permissions.set(Permission.objects.all())
    actor = make_actor(role)
    root = actor if role == "superuser" else UserFactory(username="root", is_superuser=True)
    target = UserFactory(username="target", is_staff=True, roles=[AUTHORS])
    client.force_login(actor)
    before = snapshot()
    happened = attempt(client, change, target, root)
    if role in ALLOWED[change]:
        assert happened()
    else:
        assert not happened()
        assert snapshot() == before


def test_administrators_choose_only_among_the_three_roles(client, administrator):
    Group.objects.create(name="Everything")
    target = UserFactory(username="target", is_staff=True)
    client.force_login(administrator)
    page = client.get(reverse("admin:accounts_user_change", args=[target.pk]))
    choices = {label for _, label in page.context["adminform"].form.fields["groups"].choices}
    assert choices == {AUTHORS, EDITORS, ADMINISTRATORS}
    add = client.get(reverse("admin:accounts_user_add"))
    choices = {label for _, label in add.context["adminform"].form.fields["groups"].choices}
    assert choices == {AUTHORS, EDITORS, ADMINISTRATORS}
