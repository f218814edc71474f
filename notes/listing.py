"""Filtering published notes by topic, author, series, type and date, with facets."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django import forms
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy as pgettext

from notes import counts
from notes.models import Author, Note, NoteType, Series, TaggedNote, Topic
from notes.templatetags.notes_tags import localized_name

#: More topics than this in one filter is not a reader's query; the rest are ignored.
MAX_TOPICS = 5


class NoteFilterForm(forms.Form):
    topic = forms.CharField(required=False, max_length=100)
    author = forms.CharField(required=False, max_length=100)
    series = forms.CharField(required=False, max_length=100)
    type = forms.CharField(required=False, max_length=100)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2999)
    month = forms.IntegerField(required=False, min_value=1, max_value=12)

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].error_messages["invalid"] = _("年份必须是数字。")
        self.fields["month"].error_messages["invalid"] = _("月份必须是 1 到 12 的数字。")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("month") and not cleaned.get("year"):
            self.add_error("month", _("按月筛选时需同时指定年份。"))
        return cleaned


@dataclass
class ActiveFilter:
    label: str
    value: str
    remove_url: str


@dataclass
class NoteFilter:
    """The reader's filters parsed from the query string, applied to ``published()``."""

    params: object  # a QueryDict
    errors: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    author: Author | None = None
    series: Series | None = None
    note_type: NoteType | None = None
    year: int | None = None
    month: int | None = None

    @classmethod
    def from_request(cls, request):
        params = request.GET
        result = cls(params=params)
        form = NoteFilterForm(params)
        if not form.is_valid():
            result.errors = [e for errs in form.errors.values() for e in errs]
            return result
        data = form.cleaned_data
        result.year, result.month = data["year"], data["month"]
        slugs = list(dict.fromkeys(s for s in params.getlist("topic") if s))[:MAX_TOPICS]
        if any("\x00" in s for s in slugs):
            result.errors.append(_("主题参数无效。"))
            return result
        if slugs:
            found = {t.slug: t for t in Topic.objects.public().filter(slug__in=slugs)}
            result.topics = [found[s] for s in slugs if s in found]
            result.errors += [
                _("没有名为“%(slug)s”的主题。") % {"slug": s} for s in slugs if s not in found
            ]
        for attr, choices, key, message in (
            ("author", Author.objects.public, "author", _("没有网址名为“%(slug)s”的作者。")),
            ("series", Series.objects.public, "series", _("没有网址名为“%(slug)s”的栏目。")),
            ("note_type", NoteType.objects.all, "type", _("没有网址名为“%(slug)s”的文章类型。")),
        ):
            slug = data[key]
            if slug:  # the query set built only when asked for (half a millisecond for three)
                obj = choices().filter(slug=slug).first()
                if obj is None:
                    result.errors.append(message % {"slug": slug})
                setattr(result, attr, obj)
        return result

    @property
    def is_active(self):
        return bool(
            self.topics or self.author or self.series or self.note_type or self.year or self.errors
        )

    def apply(self, queryset):
        if self.errors:
            return queryset.none()
        for topic in self.topics:
            # One semi-join a topic: the planner walks the newest notes and looks each
            # up in the taggings' index, or reads a rare topic's taggings first.
            tagged = TaggedNote.objects.filter(content_object=OuterRef("pk"), tag=topic)
            queryset = queryset.filter(Exists(tagged))
        if self.author:
            queryset = queryset.filter(authorships__author=self.author)
        if self.series:
            queryset = queryset.filter(series=self.series)
        if self.note_type:
            queryset = queryset.filter(note_type=self.note_type)
        if self.year:
            # A range of publication times (in the site's time zone), which the index
            # on the publication time answers; no month extracted from every row.
            start, end = self.period()
            queryset = queryset.filter(published_at__gte=start, published_at__lt=end)
        return queryset

    def period(self):
        """The start and the end (exclusive) of the chosen year or month, as aware times."""
        if self.month:
            start = datetime(self.year, self.month, 1)
            end = datetime(self.year + self.month // 12, self.month % 12 + 1, 1)
        else:
            start, end = datetime(self.year, 1, 1), datetime(self.year + 1, 1, 1)
        return timezone.make_aware(start), timezone.make_aware(end)

    def key(self):
        """What identifies the filter, for counts kept in the cache."""
        return (
            sorted(t.pk for t in self.topics),
            *(obj.pk if obj else None for obj in (self.author, self.series, self.note_type)),
            self.year,
            self.month,
            bool(self.errors),
        )

    def _without(self, key, value=None):
        params = self.params.copy()
        params.pop("page", None)
        if value is None:
            params.pop(key, None)
            if key == "year":
                params.pop("month", None)
        else:
            params.setlist(key, [v for v in params.getlist(key) if v != value])
        query = params.urlencode()
        return f"?{query}" if query else "?"

    def active(self):
        """The filters in force, each with the URL that removes it."""
        items = [
            ActiveFilter(pgettext("active filter", "主题"), t.name, self._without("topic", t.slug))
            for t in self.topics
        ]
        if self.author:
            items.append(
                ActiveFilter(
                    pgettext("active filter", "作者"), self.author.name, self._without("author")
                )
            )
        if self.series:
            items.append(ActiveFilter(_("栏目"), self.series.name, self._without("series")))
        if self.note_type:
            items.append(ActiveFilter(_("类型"), str(self.note_type), self._without("type")))
        if self.year:
            items.append(ActiveFilter(_("年份"), str(self.year), self._without("year")))
        if self.month:
            items.append(ActiveFilter(_("月份"), str(self.month), self._without("month")))
        return items

    def heading(self):
        """What the filters choose, in words for the page's heading: names, then the period."""
        parts = [topic.name for topic in self.topics]
        parts += [obj.name for obj in (self.author, self.series) if obj]
        if self.note_type:
            parts.append(localized_name(self.note_type))
        if self.year and self.month:
            parts.append(date_format(date(self.year, self.month, 1), "YEAR_MONTH_FORMAT"))
        elif self.year:
            parts.append(_("%(year)s年") % {"year": self.year})
        return parts

    def topic_url(self, slug):
        """The current filter with one more topic."""
        params = self.params.copy()
        params.pop("page", None)
        if slug not in params.getlist("topic"):
            params.appendlist("topic", slug)
        return f"?{params.urlencode()}"


def topic_facets(notes, note_filter, *, limit=30):
    """Topics of ``notes`` (``note_filter`` applied to published notes) with how many
    carry each, and the URL adding each; counted once per content generation."""
    if note_filter.is_active:
        topics = counts.cached(
            "facets",
            lambda: list(
                Topic.objects.filter(tagged_notes__content_object__in=notes.values("pk"))
                .annotate(count=Count("tagged_notes"))
                .order_by("-count", "name")[:limit]
            ),
            note_filter.key(),
            limit,
        )
    else:
        topics = published_topics()[:limit]
    for topic in topics:
        topic.selected = topic in note_filter.topics
        topic.filter_url = note_filter.topic_url(topic.slug)
    return topics


def published_topics():
    """Every topic with at least one published note, with its count, the commonest
    first (a list, counted once per content generation)."""
    return counts.cached(
        "topics",
        lambda: list(
            Topic.objects.filter(
                tagged_notes__content_object__in=Note.objects.published().values("pk")
            )
            .annotate(count=Count("tagged_notes"))
            .order_by("-count", "name")
        ),
    )
