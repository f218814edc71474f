"""A card's publication time is what the two date filters wrote, to the byte."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils.translation import override

FILTERS = Template(
    "{% load notes_tags %}<time datetime=\"{{ moment|date:'c' }}\">"
    '{{ moment|date:"DATE_FORMAT" }}</time>'
)
MOMENTS = [
    datetime(2021, 3, 20, 10, 0, tzinfo=UTC),
    datetime(2021, 3, 20, 16, 30, tzinfo=UTC),  # the next day in the site's time zone
    datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2019, 1, 1, 0, 0, tzinfo=UTC),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("moment", MOMENTS)
def test_time_element_is_what_the_date_filters_write(language, moment):
    with override(language):
        for _ in range(2):  # written, then kept
            tag = Template("{% load notes_tags %}{% time_element moment %}")
            context = {"moment": moment}
            assert tag.render(Context(context)) == FILTERS.render(Context(context))
