"""Sign-in, sign-out, throttling, password change and reset, invitations."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import AUTHORS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")


@pytest.fixture
def person(db):
    return UserFactory(username="liwei", email="liwei@example.org", is_staff=True, roles=[AUTHORS])


def sign_in(client, username, password, url=LOGIN):
    return client.post(url, {"username": username, "password": password})


def test_sign_in_page_is_in_site_style_and_has_csrf(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "base.html" in [t.name for t in response.templates]
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_sign_in_rotates_the_session_key(client, person):
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key
    assert sign_in(client, "liwei", PASSWORD).status_code == 302
    assert client.session.session_key != before
    assert client.session[SESSION_KEY] == str(person.pk)


def test_sign_out_needs_post_and_ends_the_session(client, person):
    client.force_login(person)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert SESSION_KEY in client.session
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert SESSION_KEY not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_wrong_password_says_so(client, person):
    response = sign_in(client, "liwei", "wrong password here")
    assert response.status_code == 200
    assert "不正确" in response.content.decode()


def test_the_admin_signs_in_through_the_site(client, person):
    response = client.get(ADMIN_LOGIN, {"next": "/admin/notes/note/"})
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/notes/note/"
    assert client.post(ADMIN_LOGIN, {"username": "liwei", "password": PASSWORD}).status_code == 302
    assert SESSION_KEY not in client.session  # nothing is signed in at the old address
    response = client.get(ADMIN_LOGIN, {"next": "https://elsewhere.example/"})
    assert response["Location"] == f"{LOGIN}?next=/admin/"


def test_five_failures_lock_out_even_the_right_password_until_cool_off(
    client, person, time_machine
):
    url = LOGIN
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(5):
        sign_in(client, "liwei", "wrong password here", url)
    locked = sign_in(client, "liwei", PASSWORD, url)
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "暂停登录" in text and "15 分钟" in text
    assert SESSION_KEY not in client.session
    time_machine.shift(timezone.timedelta(minutes=16))
    assert sign_in(client, "liwei", PASSWORD, url).status_code == 302
    assert client.session[SESSION_KEY] == str(person.pk)


def test_lockout_is_per_account(client, person):
    UserFactory(username="other", email="other@example.org")
    for _ in range(5):
        sign_in(client, "liwei", "wrong password here")
    assert sign_in(client, "other", PASSWORD).status_code == 302


def test_password_change(client, person):
    client.force_login(person)
    new = "a much longer passphrase 42"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new)


def test_password_change_enforces_validators(client, person):
    client.force_login(person)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "short1", "new_password2": "short1"},
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_reset_answers_the_same_for_unknown_addresses(client, person):
    url = reverse("accounts:password_reset")
    known = client.post(url, {"email": "LIWEI@example.org"})
    unknown = client.post(url, {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["liwei@example.org"]
    done = client.get(known["Location"])
    assert "如果这个电子邮箱属于" in done.content.decode()


def test_reset_link_sets_a_password_once(client, person):
    client.post(reverse("accounts:password_reset"), {"email": "liwei@example.org"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    new = "a much longer passphrase 42"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new)
    reused = client.get(link)
    assert "已失效" in reused.content.decode()


# Invitations.


@pytest.fixture
def invite(client, administrator):
    client.force_login(administrator)
    from django.contrib.auth.models import Group

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newcomer",
            "email": "Newcomer@Example.org",
            "display_name": "新同事",
            "groups": [Group.objects.get(name=AUTHORS).pk],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    return User.objects.get(username="newcomer")


def test_administrator_invites_a_user_without_password(invite):
    assert not invite.has_usable_password()
    assert invite.is_staff and invite.email == "newcomer@example.org"
    assert invite.has_role(AUTHORS)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["newcomer@example.org"]


def test_invitation_link_sets_password_then_expires(client, invite):
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    assert "设置密码" in client.get(form_url).content.decode()
    new = "my own long passphrase 7"
    assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    invite.refresh_from_db()
    assert invite.check_password(new)
    used = client.get(link)
    assert used.status_code == 200 and "邀请链接已失效" in used.content.decode()
    assert sign_in(client, "newcomer", new).status_code == 302


def test_invitation_link_expires_after_three_days(client, invite, time_machine):
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    time_machine.move_to(timezone.now() + timezone.timedelta(days=4))
    assert "邀请链接已失效" in client.get(link).content.decode()


def test_garbage_invitation_link_is_a_clear_message(client):
    response = client.get(reverse("accounts:invitation", args=["bm9wZQ", "bad-token"]))
    assert response.status_code == 200 and "已失效" in response.content.decode()


def test_invitation_refuses_a_taken_email(client, administrator, person):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_add"), {"username": "dup", "email": "LiWei@example.org"}
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="dup").exists()


def test_expired_invitee_can_use_password_reset(client, invite):
    client.post(reverse("accounts:password_reset"), {"email": "newcomer@example.org"})
    assert len(mail.outbox) == 2


def test_administrator_cannot_make_anyone_superuser(client, administrator, person):
    client.force_login(administrator)
    page = client.get(reverse("admin:accounts_user_change", args=[person.pk]))
    assert "is_superuser" not in page.context["adminform"].form.fields


def test_administrator_cannot_edit_a_superuser(client, administrator, superuser):
    client.force_login(administrator)
    url = reverse("admin:accounts_user_change", args=[superuser.pk])
    assert client.post(url, {"username": "taken-over"}).status_code == 403
    superuser.refresh_from_db()
    assert superuser.username == "root"
