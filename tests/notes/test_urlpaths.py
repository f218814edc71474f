"""The cheap paths of notes, topics, authors and series are reverse()'s, to the byte."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils.translation import override

from notes.models import Author, Authorship, Topic
from notes.urlpaths import path_to

VALUES = [
    ("notes:topic", ("中美关系",)),
    ("notes:topic", ("green-finance",)),
    ("notes:topic", ("碳排放-2024_v2",)),
    ("notes:author", ("zhou-ziheng",)),
    ("notes:author", ("周子衡",)),
    ("notes:series", ("hongguan",)),
    ("notes:detail", (13, "county-charging-ledger")),
    ("notes:detail", (1234567890, "2345678901")),
    ("notes:detail", (7, "地方政府债务：化解存量与规范增量并重")),
    ("notes:detail", (8, "100%-tariffs,-mostly;+(not)-all=ok'~!@$&*")),
    ("notes:detail", (9, "{0}{1}")),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("viewname", "values"), VALUES)
def test_paths_are_what_reverse_gives(language, viewname, values):
    with override(language):
        assert path_to(viewname, *values) == reverse(viewname, args=values)


def test_the_script_prefix_is_kept():
    try:
        set_script_prefix("/research/")
        assert path_to("notes:topic", "贸易") == reverse("notes:topic", args=["贸易"])
        assert path_to("notes:topic", "贸易").startswith("/research/topics/")
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("values", [(None, "slug"), (3, "")])
def test_a_missing_value_is_refused_as_reverse_refuses_it(values):
    with pytest.raises(NoReverseMatch):
        path_to("notes:detail", *values)


LOOP = Template(
    '{% load notes_tags %}{% for topic in topics %}<li><a href="{{ topic.get_absolute_url }}"'
    "{% lang_attr topic.name %}>{{ topic.name }}</a></li>{% endfor %}"
)
TOPICS = [
    Topic(name="中美关系", slug="中美关系"),
    Topic(name="Green finance", slug="green-finance"),
    Topic(name='R&D <"quoted">', slug="r-d-quoted"),
    Topic(name="2024", slug="2024"),
]


@pytest.mark.parametrize("prefix", ["/", "/research/"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_topic_chips_are_what_the_template_loop_writes(language, prefix):
    try:
        set_script_prefix(prefix)
        with override(language):
            for _ in range(2):  # written, then kept
                chips = Template("{% load notes_tags %}{% topic_chips topics %}")
                assert chips.render(Context({"topics": TOPICS})) == LOOP.render(
                    Context({"topics": TOPICS})
                )
    finally:
        set_script_prefix("/")


BYLINE_LOOP = Template(
    '{% load i18n notes_tags %}{% for authorship in authorships %}<a class="author-link" '
    'href="{{ authorship.author.get_absolute_url }}"{% lang_attr authorship.author.name %}>'
    '{{ authorship.author.name }}</a>{% if not forloop.last %}{% translate "、" %}{% endif %}'
    "{% endfor %}"
)
AUTHORS = [
    Author(name="林晓岚", slug="lin"),
    Author(name="Emily Carter", slug="carter"),
    Author(name='O\'Brien & <"Co">', slug="周子衡"),
]


@pytest.mark.parametrize("count", [0, 1, 3])
@pytest.mark.parametrize("prefix", ["/", "/research/"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_author_links_are_what_the_template_loop_writes(language, prefix, count):
    authorships = [Authorship(author=author) for author in AUTHORS[:count]]
    try:
        set_script_prefix(prefix)
        with override(language):
            for _ in range(2):  # written, then kept
                byline = Template("{% load notes_tags %}{% author_links authorships %}")
                context = {"authorships": authorships}
                assert byline.render(Context(context)) == BYLINE_LOOP.render(Context(context))
    finally:
        set_script_prefix("/")
