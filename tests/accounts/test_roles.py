import pytest
from django.contrib.auth.models import Group

from accounts.roles import ADMINISTRATORS, AUTHORS, EDITORS

pytestmark = pytest.mark.django_db


def test_the_three_roles_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {AUTHORS, EDITORS, ADMINISTRATORS}


@pytest.mark.parametrize(
    ("role", "perm", "granted"),
    [
        (AUTHORS, "notes.add_note", True),
        (AUTHORS, "notes.change_note", True),
        (AUTHORS, "notes.change_section", True),
        (AUTHORS, "notes.publish_note", False),
        (AUTHORS, "notes.delete_note", False),
        (AUTHORS, "accounts.change_user", False),
        (EDITORS, "notes.publish_note", True),
        (EDITORS, "notes.delete_note", True),
        (EDITORS, "notes.change_series", True),
        (EDITORS, "notes.change_topic", True),
        (EDITORS, "accounts.change_user", False),
        (ADMINISTRATORS, "accounts.add_user", True),
        (ADMINISTRATORS, "auth.view_group", True),
        (ADMINISTRATORS, "auth.change_group", False),
        (ADMINISTRATORS, "auth.add_group", False),
        (ADMINISTRATORS, "notes.publish_note", False),
    ],
)
def test_role_permissions(role, perm, granted, django_user_model):
    user = django_user_model.objects.create_user("u", "u@example.org", "pw-long-enough-123")
    user.groups.add(Group.objects.get(name=role))
    assert user.has_perm(perm) is granted


def test_superusers_hold_every_role(superuser):
    assert superuser.has_role(ADMINISTRATORS)
    assert superuser.has_perm("notes.publish_note")


def test_email_is_unique_whatever_its_case(django_user_model):
    from django.db import IntegrityError, transaction

    django_user_model.objects.create_user("a", "Same@Example.org", "x")
    with pytest.raises(IntegrityError), transaction.atomic():
        django_user_model.objects.create_user("b", "same@example.org", "x")
