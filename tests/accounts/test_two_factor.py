"""Two-step sign-in for staff: enrolment, the code step, recovery codes, and who must enrol."""

import re
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.roles import ADMINISTRATORS, EDITORS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login_code")
SETUP = reverse("accounts:two_factor_setup")
OVERVIEW = reverse("accounts:two_factor")
CODES = reverse("accounts:recovery_codes")
ADMIN = reverse("admin:index")


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(timezone.now().replace(second=5), tick=False)
    return time_machine


@pytest.fixture
def person(db):
    return UserFactory(username="bianji", is_staff=True, roles=[EDITORS])


def code_for(device, *, at_offset=0):
    """The code the phone shows now (or ``at_offset`` seconds away)."""
    token = TOTP(device.bin_key, device.step, device.t0, device.digits)
    token.time = time.time() + at_offset
    return f"{token.token():06d}"


def wrong_code(device, n=0):
    """A code the phone shows neither now nor one step before or after."""
    accepted = {code_for(device, at_offset=offset) for offset in (-30, 0, 30)}
    return [c for c in (f"{d}" * 6 for d in range(10)) if c not in accepted][n]


def enrol(user):
    """An authenticator and recovery codes, as the setup page leaves them."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    codes = twofactor.new_recovery_codes(user)
    return device, codes


def password_step(client, username="bianji", next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


# Enrolment.


def test_any_staff_user_can_enrol(client, person, frozen):
    client.force_login(person)
    assert "开启两步验证" in client.get(OVERVIEW).content.decode()
    page = client.get(SETUP)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in text
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    assert twofactor.secret(device).replace(" ", "") in text.replace(" ", "")
    wrong = client.post(SETUP, {"code": wrong_code(device)})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert not twofactor.enrolled(person)
    frozen.shift(2)  # a wrong code makes the next one wait a second
    done = client.post(SETUP, {"code": code_for(device)})
    assert done.status_code == 302 and done["Location"].startswith(CODES)
    assert twofactor.enrolled(person)
    shown = client.get(done["Location"])
    codes = re.findall(r"<code>(\w{4}) (\w{4})</code>", shown.content.decode())
    assert len(codes) == twofactor.RECOVERY_CODES
    assert client.get(CODES).status_code == 302  # shown once
    assert client.get(ADMIN).status_code == 200  # this session passed the second step


def test_non_staff_cannot_enrol(client):
    reader = UserFactory(username="reader", is_staff=False)
    client.force_login(reader)
    assert client.get(SETUP).status_code == 403


def test_setup_rejects_bad_input_clearly(client, person):
    client.force_login(person)
    client.get(SETUP)
    for code in ["", "12", "abcdef", "1" * 40, "'; DROP TABLE x; --", "１２３４５６"]:
        response = client.post(SETUP, {"code": code})
        assert response.status_code == 200 and response.context["form"].errors, code
    assert not twofactor.enrolled(person)


# Signing in.


def test_password_alone_does_not_sign_in_an_enrolled_user(client, person):
    device, _codes = enrol(person)
    response = password_step(client, next_url="/admin/notes/note/")
    assert response["Location"] == CODE
    assert SESSION_KEY not in client.session
    assert client.get(ADMIN).status_code == 302
    page = client.get(CODE)
    assert page.status_code == 200 and "base.html" in [t.name for t in page.templates]
    done = client.post(CODE, {"code": code_for(device)})
    assert done["Location"] == "/admin/notes/note/"
    assert client.session[SESSION_KEY] == str(person.pk)
    assert client.get(ADMIN).status_code == 200


def test_a_code_is_accepted_once(client, person):
    device, _codes = enrol(person)
    code = code_for(device)
    password_step(client)
    assert client.post(CODE, {"code": code}).status_code == 302
    client.logout()
    password_step(client)
    reused = client.post(CODE, {"code": code})
    assert reused.status_code == 200 and "已经用过" in reused.content.decode()
    assert SESSION_KEY not in client.session


def test_an_expired_code_is_refused(client, person):
    device, _codes = enrol(person)
    password_step(client)
    old = client.post(CODE, {"code": code_for(device, at_offset=-300)})
    assert old.status_code == 200 and SESSION_KEY not in client.session


def test_wrong_codes_make_the_next_attempt_wait(client, person, frozen):
    device, _codes = enrol(person)
    password_step(client)
    client.post(CODE, {"code": wrong_code(device, 0)})
    client.post(CODE, {"code": wrong_code(device, 1)})
    waiting = client.post(CODE, {"code": code_for(device)})
    assert "稍等片刻" in waiting.content.decode() and SESSION_KEY not in client.session
    frozen.shift(3)
    assert client.post(CODE, {"code": code_for(device)}).status_code == 302


def test_a_recovery_code_works_once(client, person):
    _device, codes = enrol(person)
    password_step(client)
    typed = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"
    assert client.post(CODE, {"code": typed}).status_code == 302
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    client.logout()
    password_step(client)
    assert client.post(CODE, {"code": codes[0]}).status_code == 200
    assert SESSION_KEY not in client.session


def test_wrong_codes_lock_out_like_wrong_passwords(client, person, frozen):
    device, _codes = enrol(person)
    password_step(client)
    for n in range(5):
        frozen.shift(20)  # past django-otp's growing wait, so every code is checked
        client.post(CODE, {"code": wrong_code(device, n)})
    frozen.shift(20)
    locked = client.post(CODE, {"code": code_for(device)})
    assert locked.status_code == 429 and "暂停登录" in locked.content.decode()
    assert "no-store" in locked["Cache-Control"]
    assert SESSION_KEY not in client.session


def test_the_code_step_expires(client, person, frozen):
    device, _codes = enrol(person)
    password_step(client)
    frozen.shift(twofactor.PENDING_SECONDS + 1)
    response = client.post(CODE, {"code": code_for(device)})
    assert response["Location"] == LOGIN and SESSION_KEY not in client.session


def test_the_code_step_without_a_password_goes_back_to_sign_in(client):
    assert client.get(CODE)["Location"] == LOGIN


def test_a_session_from_before_enrolment_must_sign_in_again(client, person):
    client.force_login(person)
    enrol(person)
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert SESSION_KEY not in client.session


# Who must enrol.


@pytest.fixture
def required(settings):
    settings.REQUIRE_2FA_FOR_ADMINS = True


@pytest.mark.parametrize("role", ["administrator", "superuser"])
def test_administrators_must_enrol_before_the_admin(client, required, role):
    user = UserFactory(
        username="boss",
        is_staff=True,
        is_superuser=role == "superuser",
        roles=[ADMINISTRATORS] if role == "administrator" else [],
    )
    response = password_step(client, "boss", next_url="/admin/accounts/user/")
    assert response["Location"] == f"{SETUP}?next=%2Fadmin%2Faccounts%2Fuser%2F"
    assert client.get(ADMIN, follow=True).redirect_chain[-1][0].startswith(SETUP)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    done = client.post(SETUP, {"code": code_for(device), "next": "/admin/accounts/user/"})
    shown = client.get(done["Location"])
    assert 'href="/admin/accounts/user/"' in shown.content.decode()
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    disable = client.post(reverse("accounts:two_factor_disable"), follow=True)
    assert "不能关闭" in disable.content.decode() and twofactor.enrolled(user)


def test_editors_need_not_enrol(client, required, person):
    password_step(client)
    assert client.get(ADMIN).status_code == 200


def test_without_the_requirement_administrators_may_go_without(client, administrator):
    client.force_login(administrator)
    assert client.get(ADMIN).status_code == 200


# Managing.


def verified_login(client, user, device):
    password_step(client, user.username)
    assert client.post(CODE, {"code": code_for(device)}).status_code == 302


def test_new_recovery_codes_replace_the_old(client, person):
    device, old = enrol(person)
    verified_login(client, person, device)
    response = client.post(CODES)
    assert response["Location"] == CODES
    page = client.get(CODES).content.decode()
    new = ["".join(pair) for pair in re.findall(r"<code>(\w{4}) (\w{4})</code>", page)]
    assert len(new) == twofactor.RECOVERY_CODES and not set(new) & set(old)
    assert twofactor.recovery_codes_left(person) == twofactor.RECOVERY_CODES


def test_a_new_phone_replaces_the_old_one(client, person, frozen):
    old, _codes = enrol(person)
    verified_login(client, person, old)
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=person, confirmed=False)
    frozen.shift(60)
    client.post(SETUP, {"code": code_for(new)})
    assert list(TOTPDevice.objects.filter(user=person)) == [new]


def test_changes_need_a_session_that_passed_the_second_step(client, person):
    enrol(person)
    client.force_login(person)  # password only, e.g. a session from before enrolment
    assert client.get(SETUP).status_code == 403
    assert client.post(CODES).status_code == 403
    assert client.post(reverse("accounts:two_factor_disable")).status_code == 403
    assert twofactor.enrolled(person)


def test_an_editor_may_turn_it_off(client, person):
    device, _codes = enrol(person)
    verified_login(client, person, device)
    client.post(reverse("accounts:two_factor_disable"))
    assert not twofactor.enrolled(person)
    assert not StaticToken.objects.filter(device__user=person).exists()


def test_an_administrator_resets_a_lost_phone(client, administrator, person):
    enrol(person)
    client.force_login(administrator)
    changelist = reverse("admin:accounts_user_changelist")
    client.post(changelist, {"action": "reset_two_factor", "_selected_action": [person.pk]})
    assert not twofactor.enrolled(person)
    response = password_step(client)
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    ("url", "needle"),
    [(OVERVIEW, "Two-step verification"), (SETUP, "authenticator app"), (CODE, "Verify")],
)
def test_pages_speak_english(client, person, url, needle):
    if url == CODE:
        enrol(person)
        password_step(client)
    else:
        client.force_login(person)
    page = client.get("/en" + url).content.decode()
    assert needle in page and "两步验证" not in page
