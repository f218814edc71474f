"""Sign-in lockout: per account and real client address, in a fixed window."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import EDITORS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
WRONG = "wrong password here"
LOGIN = reverse("accounts:login")
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def behind_proxy(settings, time_machine):
    settings.TRUSTED_PROXY_HOPS = 1
    time_machine.move_to(timezone.now(), tick=False)


@pytest.fixture
def editor_account(db):
    return UserFactory(
        username="bianji", email="bianji@example.org", is_staff=True, roles=[EDITORS]
    )


def sign_in(client, password, forwarded, username="bianji"):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_six_failures_from_one_address_do_not_stop_a_sign_in_from_another(client, editor_account):
    for _ in range(6):
        sign_in(client, WRONG, "198.51.100.66")
    assert sign_in(client, PASSWORD, "198.51.100.66").status_code == 429
    assert sign_in(client, PASSWORD, "198.51.100.7").status_code == 302
    assert client.session[SESSION_KEY] == str(editor_account.pk)


def test_a_forged_chain_locks_only_the_address_the_proxy_saw(client, editor_account):
    for _ in range(6):
        sign_in(client, WRONG, "198.51.100.7, 198.51.100.66")  # claims to be the editor
    assert sign_in(client, PASSWORD, "198.51.100.7").status_code == 302


def test_attempts_during_a_lockout_do_not_extend_it(client, editor_account, time_machine):
    for _ in range(5):
        sign_in(client, WRONG, "198.51.100.66")
    for _ in range(3):
        time_machine.shift(timezone.timedelta(minutes=4))
        assert sign_in(client, WRONG, "198.51.100.66").status_code == 429
    time_machine.shift(timezone.timedelta(minutes=3, seconds=1))  # 15 minutes after the fifth
    assert sign_in(client, PASSWORD, "198.51.100.66").status_code == 302


def test_the_lockout_page_is_never_cached_and_offers_a_reset(client, editor_account):
    for _ in range(5):
        sign_in(client, WRONG, "198.51.100.66")
    locked = sign_in(client, PASSWORD, "198.51.100.66")
    assert locked.status_code == 429
    assert "private" in locked["Cache-Control"] and "no-store" in locked["Cache-Control"]
    assert int(locked["Retry-After"]) == 15 * 60
    assert reverse("accounts:password_reset") in locked.content.decode()


def test_the_locked_out_person_can_reset_the_password_and_sign_in(client, editor_account):
    for _ in range(5):
        sign_in(client, WRONG, "198.51.100.66")
    client.post(
        reverse("accounts:password_reset"),
        {"email": "bianji@example.org"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    new = "a much longer passphrase 42"
    assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    assert sign_in(client, new, "198.51.100.66").status_code == 302
