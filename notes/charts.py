"""Bar charts of publication counts, drawn server-side as inline SVG (no JavaScript)."""

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CHART_HEIGHT = 120
BAR_WIDTH = 28
BAR_GAP = 12


@dataclass
class Bar:
    label: str
    count: int
    url: str | None
    title: str = ""
    x: int = 0
    y: int = 0
    height: int = 0

    @property
    def label_x(self):
        return self.x + BAR_WIDTH // 2


@dataclass
class Chart:
    bars: list

    def __post_init__(self):
        peak = max((bar.count for bar in self.bars), default=0) or 1
        for index, bar in enumerate(self.bars):
            bar.x = index * (BAR_WIDTH + BAR_GAP)
            bar.height = round(bar.count / peak * CHART_HEIGHT)
            bar.y = CHART_HEIGHT - bar.height + 16

    @property
    def width(self):
        return max(len(self.bars) * (BAR_WIDTH + BAR_GAP) - BAR_GAP, BAR_WIDTH)

    @property
    def height(self):
        return CHART_HEIGHT + 40

    @property
    def bar_width(self):
        return BAR_WIDTH

    @property
    def baseline(self):
        return CHART_HEIGHT + 16

    @property
    def total(self):
        return sum(bar.count for bar in self.bars)


def _count_title(period, count):
    return ngettext("%(period)s：%(count)s 篇", "%(period)s：%(count)s 篇", count) % {
        "period": period,
        "count": count,
    }


def monthly_chart(notes, year: int) -> Chart:
    """Twelve bars: how many of ``notes`` were published in each month of ``year``."""
    counts = dict(
        notes.filter(published_at__year=year)
        .order_by()
        .annotate(month=ExtractMonth("published_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    return Chart(
        [
            Bar(
                label=str(month),
                title=_count_title(
                    _("%(year)s年%(month)s月") % {"year": year, "month": month},
                    counts.get(month, 0),
                ),
                count=counts.get(month, 0),
                url=reverse("notes:archive-month", kwargs={"year": year, "month": month})
                if counts.get(month)
                else None,
            )
            for month in range(1, 13)
        ]
    )


def yearly_chart(notes) -> Chart:
    """One bar a year, from the first year with a note to the last."""
    counts = dict(
        notes.order_by()
        .annotate(year=ExtractYear("published_at"))
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    if not counts:
        return Chart([])
    years = range(min(counts), max(counts) + 1)
    return Chart(
        [
            Bar(
                label=str(year),
                title=_count_title(_("%(year)s年") % {"year": year}, counts.get(year, 0)),
                count=counts.get(year, 0),
                url=reverse("notes:archive-year", kwargs={"year": year})
                if counts.get(year)
                else None,
            )
            for year in years
        ]
    )
