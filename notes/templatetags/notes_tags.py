import json
import re
from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse, translate_url
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, override

from notes.urlpaths import path_in, path_to

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
#: Letters and digits of Latin script: an excerpt is not cut inside a run of them.
_WORD_END = re.compile(r"[0-9A-Za-z\u00c0-\u024f'’-]+$")


@register.filter
def localized_name(obj):
    """An object's English name in the English interface when it has one (``name_en``)."""
    english = getattr(obj, "name_en", "")
    if english and (get_language() or "").startswith("en"):
        return english
    return str(obj)


@register.simple_tag
def path(viewname, *values):
    """``{% url %}`` for the site's own pages, without searching the URL patterns each
    time (``notes.urlpaths``): ``{% path 'notes:pdf' note.pk %}``."""
    return path_to(viewname, *values)


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


def script_language(text):
    """``zh-Hans`` for text with Chinese characters, ``en`` for Latin letters, else ``""``."""
    if _HAN.search(text):
        return "zh-Hans"
    if _LATIN.search(text):
        return "en"
    return ""


@register.simple_tag
def lang_attr(text, around=None):
    """`` lang="…"`` for a name (author, topic, series) whose language is not the one
    around it (``around``, a language code; the interface's by default), else nothing.

    Names carry no language of their own, so their script tells: a Chinese name in
    the English interface is marked ``zh-Hans``, an English one in the Chinese ``en``.
    """
    return _lang_attr(str(text), (around or get_language() or "").lower())


@lru_cache(maxsize=4096)
def _lang_attr(text, around):
    """The attribute for ``text`` in ``around``: a list page asks it for every name on
    every card, of a few hundred names in two languages."""
    language = script_language(text)
    if not language or around.startswith(language.split("-")[0].lower()):
        return ""
    return format_html(' lang="{}"', language)


@register.simple_tag
def topic_chips(topics):
    """The ``<li>`` of each topic's chip, linking its page. A list of 20 notes writes
    some 60 chips of a few hundred topics: each is written once per language and
    script prefix (~1 µs a chip after that, ~25 µs through the template's loop)."""
    language, prefix = get_language(), get_script_prefix()
    return mark_safe(
        "".join(_link(_CHIP, "notes:topic", t.slug, t.name, language, prefix) for t in topics)
    )


@register.simple_tag
def author_links(authors):
    """A byline: each author's name linking their page, joined by "、" (", " in
    English); each link kept like a topic's chip (``topic_chips``). ``authors`` are
    authorships, or (slug, name) pairs (a search hit's)."""
    language, prefix = get_language(), get_script_prefix()
    pairs = ((a.author.slug, a.author.name) if hasattr(a, "author") else a for a in authors)
    links = (_link(_AUTHOR, "notes:author", slug, name, language, prefix) for slug, name in pairs)
    return mark_safe(conditional_escape(gettext("、")).join(links))


_CHIP = '<li><a href="{}"{}>{}</a></li>'
_AUTHOR = '<a class="author-link" href="{}"{}>{}</a>'


@lru_cache(maxsize=4096)
def _link(html, viewname, slug, name, language, prefix):
    """``html`` filled with the path of ``viewname`` for ``slug``, the ``lang``
    attribute ``name`` needs and ``name``: a topic's chip or an author's link."""
    return format_html(
        html,
        path_in(language, prefix, viewname, slug),
        _lang_attr(name, (language or "").lower()),
        name,
    )


@register.simple_tag
def time_element(moment):
    """``<time datetime="…">…</time>``: ``moment`` in the site's time zone, as
    ``|date:'c'`` and ``|date:"DATE_FORMAT"`` write it, the date written once per
    day and language (two date filters took ~60 µs a card)."""
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}">{}</time>', local.isoformat(), _date(local.date(), get_language())
    )


@lru_cache(maxsize=4096)
def _date(day, language):
    return formats.date_format(day, "DATE_FORMAT")


@register.filter
def excerpt(text, length=140):
    """``text`` cut to at most ``length`` characters and ended with "…" when cut;
    never inside a Latin word or number when a space comes before it."""
    text = " ".join(str(text).split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if _WORD_END.search(cut) and text[length - 1 : length].strip() and " " in cut:
        head = _WORD_END.sub("", cut)
        if head.strip():
            cut = head
    return cut.rstrip(" ,.;:，、；：") + "…"
