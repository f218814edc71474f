from axes.helpers import get_cool_off, get_failure_limit

from throttling.views import refusal


def lockout_response(request, original_response, credentials):
    """The page shown, at sign-in or at the code step, once an account is locked here."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_timedelta": cool_off,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    retry_after = cool_off.total_seconds() if cool_off else None
    return refusal(request, "accounts/lockout.html", context, retry_after=retry_after)
