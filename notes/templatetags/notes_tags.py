import json

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def localized_name(obj):
    """An object's English name in the English interface when it has one (``name_en``)."""
    english = getattr(obj, "name_en", "")
    if english and (get_language() or "").startswith("en"):
        return english
    return str(obj)


@register.simple_tag
def json_ld(data):
    """A schema.org JSON-LD data block. Browsers never execute this type of script."""
    text = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in each of the site's languages, for the switcher and ``hreflang``.

    Each is a dict: ``code``, ``name`` (in its own language), ``hreflang`` (BCP 47),
    ``path`` (with the query), ``url`` (absolute) and ``current``. A page that has no
    counterpart (a 404, the 500 page) offers the home page of the other language.
    """
    request = context.get("request")
    path = None
    if request is not None:
        query = request.GET.urlencode()
        path = f"{request.path}?{query}" if query else request.path
    current = get_language()
    versions = []
    for code, name in settings.LANGUAGES:
        translated = translate_url(path, code) if path else None
        if not translated or (translated == path and code != current):
            with override(code):
                translated = reverse("notes:home")
        versions.append(
            {
                "code": code,
                "name": name,
                "hreflang": _bcp47(code),
                "path": translated,
                "url": settings.SITE_URL + translated,
                "current": code == current,
            }
        )
    return versions


def _bcp47(code):
    """``zh-hans`` → ``zh-Hans``: a script subtag in title case, a region in capitals."""
    first, *rest = code.split("-")
    return "-".join([first, *(p.title() if len(p) == 4 else p.upper() for p in rest)])
