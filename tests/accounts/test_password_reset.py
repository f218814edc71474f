"""Password reset in constant shape, and limited: per address, per account, per client."""

import statistics
import time

import pytest
from django.core import mail
from django.core.handlers.base import BaseHandler
from django.core.mail.backends.locmem import EmailBackend
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from throttling.limits import RESET_MAILS, RESET_REQUESTS

pytestmark = pytest.mark.django_db
URL = reverse("accounts:password_reset")
DONE = reverse("accounts:password_reset_done")


class SlowBackend(EmailBackend):
    """The test mail backend, as slow as a real mail server: 40 ms a message."""

    def send_messages(self, messages):
        time.sleep(0.04)
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(timezone.now().replace(minute=1), tick=False)
    return time_machine


def response_time(handler, email, address):
    """Seconds until the response is ready to send, as a WSGI server sees it; the
    server calls ``close()`` once the client has the response."""
    request = RequestFactory().post(URL, {"email": email}, REMOTE_ADDR=address)
    request._dont_enforce_csrf_checks = True
    start = time.perf_counter()
    response = handler.get_response(request)
    elapsed = time.perf_counter() - start
    assert (response.status_code, response["Location"]) == (302, DONE)
    # As Django's test client does: the test's database connection stays open.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return elapsed


def test_known_and_unknown_addresses_take_the_same_time(settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    tries = 20
    for n in range(tries):
        UserFactory(username=f"known{n}", email=f"known{n}@example.org")
    handler = BaseHandler()
    handler.load_middleware()
    response_time(handler, "warm-up@example.org", "192.0.2.250")
    known, unknown = [], []
    for n in range(tries):
        known.append(response_time(handler, f"known{n}@example.org", f"192.0.2.{n}"))
        unknown.append(response_time(handler, f"nobody{n}@example.org", f"192.0.2.{100 + n}"))
    difference = abs(statistics.median(known) - statistics.median(unknown))
    assert difference < 0.005, (statistics.median(known), statistics.median(unknown))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"known{n}@example.org" for n in range(20)
    )


def test_at_most_three_mails_an_hour_per_address(client, frozen):
    UserFactory(username="liwei", email="liwei@example.org")
    for n in range(RESET_MAILS.count + 2):
        response = client.post(URL, {"email": "LiWei@example.org"}, REMOTE_ADDR=f"192.0.2.{n}")
        assert (response.status_code, response["Location"]) == (302, DONE)
    assert len(mail.outbox) == RESET_MAILS.count
    frozen.shift(timezone.timedelta(hours=1))
    client.post(URL, {"email": "liwei@example.org"}, REMOTE_ADDR="192.0.2.99")
    assert len(mail.outbox) == RESET_MAILS.count + 1


def test_a_reset_flood_from_one_client_is_refused_after_ten(client):
    for n in range(20):
        UserFactory(username=f"person{n}", email=f"person{n}@example.org")
    statuses = [
        client.post(URL, {"email": f"person{n}@example.org"}, REMOTE_ADDR="192.0.2.7").status_code
        for n in range(20)
    ]
    assert statuses == [302] * RESET_REQUESTS.count + [429] * (20 - RESET_REQUESTS.count)
    assert len(mail.outbox) == RESET_REQUESTS.count
    assert (
        client.post(URL, {"email": "person0@example.org"}, REMOTE_ADDR="192.0.2.8").status_code
        == 302
    )


def test_a_failing_mail_server_does_not_show(client, settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_password_reset.BrokenBackend"
    UserFactory(username="liwei", email="liwei@example.org")
    response = client.post(URL, {"email": "liwei@example.org"})
    assert (response.status_code, response["Location"]) == (302, DONE)


class BrokenBackend(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")
