"""Bar charts of publication counts, drawn server-side as inline SVG (no JavaScript)."""

import math
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notes.counts import cached
from notes.models import Note

CHART_HEIGHT = 120
#: The widest a chart is drawn: it fits a phone's column (343 px at 375) unscaled, so
#: its 13 px labels stay 13 px; more bars make the bars narrower, not the chart wider.
MAX_WIDTH = 336
MAX_PITCH = 40  # a bar and the gap after it, at most
MARGIN = 8  # room on either side for a count wider than its bar
LABEL_SIZE = 13


@dataclass
class Bar:
    label: str
    count: int
    url: str | None
    title: str = ""
    name: str = ""  # the period in words, for the list beside the chart
    x: float = 0
    y: int = 0
    height: int = 0
    label_x: float = 0
    show_label: bool = True


@dataclass
class Chart:
    """Bars side by side, the drawing a picture whose numbers a list beside it repeats."""

    bars: list

    def __post_init__(self):
        count = len(self.bars) or 1
        self.pitch = min(MAX_PITCH, (MAX_WIDTH - 2 * MARGIN) / count)
        self.bar_width = round(self.pitch * 0.7, 1)
        # Labels far enough apart not to touch: every bar's, or every second's, ...
        widest = max((len(bar.label) for bar in self.bars), default=1) * LABEL_SIZE * 0.62
        step = math.ceil((widest + 4) / self.pitch)
        peak = max((bar.count for bar in self.bars), default=0) or 1
        for index, bar in enumerate(self.bars):
            bar.x = round(MARGIN + index * self.pitch, 1)
            bar.label_x = round(bar.x + self.bar_width / 2, 1)
            bar.height = round(bar.count / peak * CHART_HEIGHT)
            bar.y = CHART_HEIGHT - bar.height + 16
            bar.show_label = (len(self.bars) - 1 - index) % step == 0

    @property
    def width(self):
        return math.ceil(len(self.bars) * self.pitch - (self.pitch - self.bar_width)) + 2 * MARGIN

    @property
    def height(self):
        return CHART_HEIGHT + 40

    @property
    def baseline(self):
        return CHART_HEIGHT + 16

    @property
    def total(self):
        return sum(bar.count for bar in self.bars)


def _bar(label, period, count, url):
    return Bar(label=label, name=period, title=_count_title(period, count), count=count, url=url)


def _count_title(period, count):
    return ngettext("%(period)s：%(count)s 篇", "%(period)s：%(count)s 篇", count) % {
        "period": period,
        "count": count,
    }


def year_counts():
    """``{year: published notes}``, in the site's time zone."""

    def count():
        return dict(
            Note.objects.published()
            .order_by()
            .annotate(year=ExtractYear("published_at"))
            .values("year")
            .annotate(n=Count("pk"))
            .values_list("year", "n")
        )

    return cached("years", count)


def month_counts(year):
    """``{month: published notes}`` of ``year``, in the site's time zone."""

    def count():
        return dict(
            Note.objects.published()
            .filter(published_at__year=year)
            .order_by()
            .annotate(month=ExtractMonth("published_at"))
            .values("month")
            .annotate(n=Count("pk"))
            .values_list("month", "n")
        )

    return cached("months", count, year)


def monthly_chart(counts, year: int) -> Chart:
    """Twelve bars: how many notes were published in each month of ``year``
    (``counts``: from :func:`month_counts`)."""
    return Chart(
        [
            _bar(
                str(month),
                _("%(year)s年%(month)s月") % {"year": year, "month": month},
                counts.get(month, 0),
                reverse("notes:archive-month", kwargs={"year": year, "month": month})
                if counts.get(month)
                else None,
            )
            for month in range(1, 13)
        ]
    )


def yearly_chart(counts) -> Chart:
    """One bar a year, from the first year with a note to the last (``counts``: from
    :func:`year_counts`)."""
    if not counts:
        return Chart([])
    years = range(min(counts), max(counts) + 1)
    return Chart(
        [
            _bar(
                str(year),
                _("%(year)s年") % {"year": year},
                counts.get(year, 0),
                reverse("notes:archive-year", kwargs={"year": year}) if counts.get(year) else None,
            )
            for year in years
        ]
    )
