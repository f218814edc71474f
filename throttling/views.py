from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control


def refusal(request, template, context, *, retry_after=None, status=429):
    """A refusal page that no cache, shared or private, ever keeps."""
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    if retry_after:
        response["Retry-After"] = str(int(retry_after))
    return response


def too_many_requests(request, *, retry_after):
    minutes = max(1, -(-int(retry_after) // 60))
    return refusal(request, "429.html", {"minutes": minutes}, retry_after=retry_after)
