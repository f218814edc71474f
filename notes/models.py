import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from notes import images
from notes.paragraphs import carry_over, plain_paragraphs
from notes.rendering import markdown_blocks, render_with_ids
from notes.urlpaths import path_to


def paragraph_link_label(language: str) -> str:
    """The "¶" link's accessible name, in the note's language (it is stored in the HTML)."""
    with translation.override(language):
        return str(_("本段链接"))


def private_storage():
    """Files no URL serves directly; views hand them out after checking."""
    return storages["private"]


def original_path(note, filename):
    """A folder of its own for each imported original, so the file keeps its name."""
    return f"originals/{uuid.uuid4().hex}/{filename}"


def unicode_slug(text: str, *, max_length: int = 100, fallback: str = "item") -> str:
    """A slug that keeps Chinese characters (``中美关系`` stays ``中美关系``)."""
    return slugify(text, allow_unicode=True)[:max_length].strip("-") or fallback


class PublicQuerySet(models.QuerySet):
    """For series, authors and topics: the public sees one only through a published note."""

    def public(self):
        return self.filter(Exists(self.published_notes_of(OuterRef("pk"))))


class SeriesQuerySet(PublicQuerySet):
    def published_notes_of(self, series):
        return Note.objects.published().filter(series=series)


class AuthorQuerySet(PublicQuerySet):
    def published_notes_of(self, author):
        return Note.objects.published().filter(authorships__author=author)


class TopicQuerySet(PublicQuerySet):
    def published_notes_of(self, topic):
        return Note.objects.published().filter(tagged_items__tag=topic)

    def get_by_natural_key(self, name):
        """What taggit's manager offers and ``loaddata --natural-foreign`` needs."""
        return self.get(name=name)


class Series(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    slug = models.SlugField(_("网址名"), max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(_("简介"), blank=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_to("notes:series", self.slug)


class NoteType(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    slug = models.SlugField(_("网址名"), max_length=100, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("文章类型")
        verbose_name_plural = _("文章类型")

    def __str__(self):
        return self.name


class Author(models.Model):
    name = models.CharField(_("姓名"), max_length=100)
    slug = models.SlugField(_("网址名"), max_length=100, unique=True, allow_unicode=True)
    title = models.CharField(_("职务"), max_length=100, blank=True, help_text=_("如：特约研究员"))
    affiliation = models.CharField(
        _("单位"), max_length=200, blank=True, help_text=_("如：第一财经研究院")
    )
    bio = models.TextField(_("简介"), blank=True)
    photo = models.ImageField(_("照片"), upload_to="authors/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text=_("关联后，该作者登录即可编辑自己的文章。"),
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("作者")
        verbose_name_plural = _("作者")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_to("notes:author", self.slug)

    @property
    def role(self):
        """Affiliation and title, set apart: ``新知财经研究院 · 高级研究员``."""
        return " · ".join(part for part in (self.affiliation, self.title) if part)


class Topic(TagBase):
    """A tag whose slug keeps Chinese characters; matched case-insensitively (settings)."""

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("主题")
        verbose_name_plural = _("主题")

    def slugify(self, tag, i=None):
        slug = unicode_slug(tag, max_length=90, fallback="topic")
        return f"{slug}-{i}" if i is not None else slug

    def get_absolute_url(self):
        return path_to("notes:topic", self.slug)


class TaggedNote(TaggedItemBase):
    content_object = models.ForeignKey(
        "Note", on_delete=models.CASCADE, related_name="tagged_items"
    )
    tag = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="tagged_notes", db_index=False
    )

    class Meta:
        verbose_name = _("文章主题")
        verbose_name_plural = _("文章主题")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_note_unique")
        ]
        # A topic's notes from the index alone (counts, filters, related notes).
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_note_topic_idx")]


def published_q(prefix=""):
    """The condition for "the public may see this note", optionally across a relation.

    ``prefix`` is a lookup path to the note, e.g. ``"notes__"`` from a series.
    """
    return Q(
        **{
            f"{prefix}status": Note.Status.PUBLISHED,
            f"{prefix}published_at__lte": timezone.now(),
        }
    )


class NoteQuerySet(models.QuerySet):
    def published(self):
        """The only road to what the public sees: published, and its time has come."""
        return self.filter(published_q())

    def visible_to(self, user):
        """Notes ``user`` may read: everything for editors, own notes too for authors."""
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return self.published()
        if user.has_perm("notes.publish_note"):
            return self.all()
        if user.has_perm("notes.change_note"):
            return self.filter(Q(pk__in=self.owned_by(user).values("pk")) | published_q())
        return self.published()

    def owned_by(self, user):
        """Notes ``user`` created or is credited on as an author."""
        return self.filter(Q(created_by=user) | Q(authorships__author__user=user)).distinct()

    def with_listing_data(self):
        """Everything a list entry shows, in a constant number of queries."""
        return self.select_related("series", "note_type").prefetch_related(
            models.Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("author").order_by("position"),
            ),
            # Through Django's own relation, not taggit's prefetch of ``tags``, which
            # builds a query set for every note (~80 µs a note, 20 on a list).
            models.Prefetch(
                "tagged_items",
                queryset=TaggedNote.objects.select_related("tag").order_by("tag__name"),
                to_attr="listed_tagged_items",
            ),
        )


class Note(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEW = "review", _("待审")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")
        DELETED = "deleted", _("已删除")

    class Language(models.TextChoices):
        CHINESE = "zh-hans", _("简体中文")
        ENGLISH = "en", _("English")

    title = models.CharField(_("标题"), max_length=200)
    slug = models.SlugField(
        _("网址名"),
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text=_("出现在文章网址中；可用中文。"),
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("栏目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notes",
    )
    note_type = models.ForeignKey(
        NoteType,
        verbose_name=_("类型"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notes",
    )
    summary = models.TextField(_("摘要"), blank=True, help_text=_("纯文本；空一行分段。"))
    language = models.CharField(
        _("语言"), max_length=10, choices=Language.choices, default=Language.CHINESE
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("发布时间"),
        null=True,
        blank=True,
        help_text=_("已发布状态下，设为将来的时间即为定时发布，到时自动出现在网站上。"),
    )
    source_url = models.URLField(_("原文链接"), max_length=500, blank=True)
    authors = models.ManyToManyField(
        Author, through="Authorship", related_name="notes", verbose_name=_("作者")
    )
    tags = TaggableManager(
        verbose_name=_("主题"), through=TaggedNote, blank=True, help_text=_("用逗号分隔多个主题。")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(
        _("版本"), default=1, editable=False, help_text=_("每次保存加一，用于防止覆盖他人的修改。")
    )
    summary_paragraph_ids = models.JSONField(
        _("摘要段落标识"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("摘要每段的固定标识，与正文段落的一样沿用。"),
    )
    retired_summary_paragraph_ids = models.JSONField(
        _("已删除摘要段落的标识"), default=list, blank=True, editable=False
    )
    import_key = models.CharField(
        _("导入标识"),
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_(
            "由导入简报的标题和第一作者算出；再次导入同一简报（任何格式）时据此更新这篇草稿。"
        ),
    )
    original_file = models.FileField(
        _("原文文件"),
        upload_to=original_path,
        storage=private_storage,
        max_length=300,
        blank=True,
        editable=False,
        help_text=_("导入时上传的原文件；文章发布前不对外提供。"),
    )
    offer_original = models.BooleanField(
        _("提供原文下载"),
        default=False,
        help_text=_("勾选后，已发布文章的页面上有“下载原文”链接（须有导入的原文文件）。"),
    )

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        permissions = [("publish_note", _("可以发布、定时发布和撤回文章"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="note_published_has_date",
                violation_error_message=_("已发布的文章必须有发布时间。"),
            ),
        ]
        # With the id last, a list's page and the series neighbours are read in their
        # order from the index alone (notes.paging).
        indexes = [
            models.Index(fields=["status", "published_at", "id"], name="note_public_idx"),
            models.Index(fields=["series", "status", "published_at", "id"], name="note_series_idx"),
            models.Index(fields=["status", "updated_at"], name="note_updated_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        self.assign_summary_paragraph_ids()
        super().save(*args, **kwargs)
        self._stored_summary = self.summary

    def get_absolute_url(self):
        return path_to("notes:detail", self.pk, self.slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The summary the paragraph ids belong to, to match the next save against.
        instance._stored_summary = instance.__dict__.get("summary")
        return instance

    def assign_summary_paragraph_ids(self):
        """Ids for the summary's paragraphs, carried over like a section's (see
        ``notes.paragraphs``)."""
        stored = getattr(self, "_stored_summary", None)
        if stored is None and self.pk:
            stored = Note.objects.filter(pk=self.pk).values_list("summary", flat=True).first()
        self.summary_paragraph_ids, self.retired_summary_paragraph_ids = carry_over(
            plain_paragraphs(stored or ""),
            self.summary_paragraph_ids or [],
            self.summary_paragraphs,
            self.retired_summary_paragraph_ids or [],
        )

    @property
    def summary_blocks(self):
        """``(paragraph, id)`` for the summary; the id is ``None`` before ids are assigned."""
        paragraphs = self.summary_paragraphs
        ids = self.summary_paragraph_ids or []
        if len(ids) != len(paragraphs):
            ids = [None] * len(paragraphs)
        return list(zip(paragraphs, ids, strict=True))

    def _unique_slug(self):
        base = unicode_slug(self.title, max_length=180, fallback="note")
        slug, n = base, 2
        while Note.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def summary_paragraphs(self):
        return plain_paragraphs(self.summary)

    #: Related notes are weighed among the newest this many on any of the note's
    #: ``RELATED_TOPICS`` rarest topics.
    RELATED_CANDIDATES = 100
    RELATED_TOPICS = 3
    #: What a link to another note shows (related notes, series neighbours).
    LINK_FIELDS = ("pk", "slug", "title", "language", "published_at")

    def related_notes(self, limit=5, *, topic_ids=None, topic_counts=None):
        """Published notes sharing most topics with this one, then the most recent.

        They are chosen among the newest ``RELATED_CANDIDATES`` published notes on
        any of this note's ``RELATED_TOPICS`` rarest topics that another note has (``topic_counts``:
        ``{topic id: published notes}``), so the work is the same for topics of 20
        notes or of 60,000, and for a note with 3 topics or 40.
        """
        if topic_ids is None:
            topic_ids = list(self.tagged_items.values_list("tag_id", flat=True))
        if topic_counts is None:
            from notes.listing import published_topics

            topic_counts = {topic.pk: topic.count for topic in published_topics()}
        rarest = sorted(topic_ids, key=lambda pk: (topic_counts.get(pk, 0), pk))
        # Topics no other note has find nothing: the rarest of the others are weighed.
        shared = [pk for pk in rarest if topic_counts.get(pk, 0) > self.is_published] or rarest
        shared = shared[: self.RELATED_TOPICS]
        if not shared:
            return []
        tagged = TaggedNote.objects.filter(content_object=OuterRef("pk"), tag__in=shared)
        candidates = (
            Note.objects.published()
            .filter(Exists(tagged))
            .exclude(pk=self.pk)
            .order_by("-published_at", "-pk")
            .values("pk")[: self.RELATED_CANDIDATES]
        )
        return list(
            Note.objects.filter(pk__in=candidates)
            .annotate(
                shared=models.Count("tagged_items", filter=Q(tagged_items__tag_id__in=topic_ids))
            )
            .order_by("-shared", "-published_at", "-pk")
            .only(*self.LINK_FIELDS)[:limit]
        )

    def series_neighbours(self):
        """The previous and next published notes in the same series, or ``None``."""
        if not self.series_id or not self.published_at:
            return None, None
        siblings = Note.objects.published().filter(series_id=self.series_id)
        # A range on the publication time that the series index answers, then the
        # notes published at the same instant on the wrong side of this one left out
        # (an OR of the two would keep the index from bounding the scan).
        previous = (
            siblings.filter(published_at__lte=self.published_at)
            .exclude(published_at=self.published_at, pk__gte=self.pk)
            .order_by("-published_at", "-pk")
            .values("pk")[:1]
        )
        following = (
            siblings.filter(published_at__gte=self.published_at)
            .exclude(published_at=self.published_at, pk__lte=self.pk)
            .order_by("published_at", "pk")
            .values("pk")[:1]
        )
        # Both in one statement: each id is a subquery of its own (``IN`` of two values).
        found = list(
            Note.objects.filter(pk__in=[Subquery(previous), Subquery(following)]).only(
                *self.LINK_FIELDS
            )
        )
        here = (self.published_at, self.pk)
        before = [note for note in found if (note.published_at, note.pk) < here]
        after = [note for note in found if (note.published_at, note.pk) > here]
        return (before[0] if before else None), (after[0] if after else None)

    @property
    def original_name(self):
        """The imported file's name as it was uploaded (the stored name adds a folder)."""
        return Path(self.original_file.name).name if self.original_file else ""

    @property
    def original_label(self):
        suffix = Path(self.original_file.name).suffix.lower() if self.original_file else ""
        kinds = {".pdf": "PDF", ".docx": "Word", ".txt": _("文本"), ".md": "Markdown"}
        return _("下载原文 %(kind)s") % {"kind": kinds.get(suffix, suffix.lstrip("."))}

    @property
    def offers_original(self):
        return bool(self.offer_original and self.original_file)

    def topics_by_name(self):
        """The note's topics by name, as on its page; from ``with_listing_data``'s
        prefetch when present."""
        items = getattr(self, "listed_tagged_items", None)
        if items is None:
            return list(self.tags.order_by("name"))
        return [item.tag for item in items]

    def ordered_authorships(self):
        """Authorships in byline order; uses the prefetch cache when present."""
        return sorted(self.authorships.all(), key=lambda a: a.position)


class Authorship(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="authorships")
    author = models.ForeignKey(
        Author, verbose_name=_("作者"), on_delete=models.PROTECT, related_name="authorships"
    )
    position = models.PositiveIntegerField(_("顺序"), default=0, db_index=True)
    byline = models.CharField(
        _("署名说明"),
        max_length=200,
        blank=True,
        help_text=_("留空则显示作者的职务和单位；填写则在本文中替代之。"),
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("署名")
        verbose_name_plural = _("署名")
        constraints = [
            models.UniqueConstraint(fields=["note", "position"], name="authorship_position_unique"),
            models.UniqueConstraint(fields=["note", "author"], name="authorship_author_unique"),
        ]

    def __str__(self):
        return str(self.author)

    @property
    def credit(self):
        """What follows the name in the byline: the override, or the author's role."""
        if self.byline:
            return self.byline
        return self.author.role


class Section(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("顺序"), default=0, db_index=True)
    heading = models.CharField(
        _("小标题"), max_length=200, blank=True, help_text=_("导语段可留空，如：一、中美对话开场")
    )
    body = models.TextField(
        _("正文"),
        blank=True,
        help_text=_(
            "Markdown 格式；空一行分段。单独一段 [[图1]] 插入图1；表格前一段“表：标题”、"
            "后一段“来源：…”；脚注写 [^1]，并在本节末尾写“[^1]: 注释内容”。"
        ),
    )
    body_html = models.TextField(editable=False, blank=True)
    paragraph_ids = models.JSONField(
        _("段落标识"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("正文每个段落的固定标识，按顺序；保存时按内容匹配沿用，段落链接因此不失效。"),
    )
    retired_paragraph_ids = models.JSONField(
        _("已删除段落的标识"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("指向这些段落的链接落在本节，并提示该段已删除。"),
    )
    anchor = models.SlugField(
        _("锚点"),
        max_length=100,
        allow_unicode=True,
        blank=True,
        help_text=_("目录链接使用的锚点；留空则按小标题生成，之后保持不变。"),
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("段落")
        verbose_name_plural = _("段落")
        constraints = [
            models.UniqueConstraint(fields=["note", "position"], name="section_position_unique"),
        ]

    def __str__(self):
        return self.heading or str(_("导语"))

    def save(self, *args, **kwargs):
        self.assign_paragraph_ids()
        self.body_html = render_with_ids(
            self.body,
            self.paragraph_ids,
            link_label=paragraph_link_label(self.note.language),
            language=self.note.language,
        )
        if not self.anchor:
            self.anchor = self._unique_anchor()
        super().save(*args, **kwargs)
        self._stored_body = self.body

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The text the paragraph ids belong to, to match the next save against.
        instance._stored_body = instance.__dict__.get("body")
        return instance

    def assign_paragraph_ids(self):
        """Give the body's blocks their ids, carried over from the stored text (see
        ``notes.paragraphs``)."""
        stored = getattr(self, "_stored_body", None)
        if stored is None and self.pk:
            stored = Section.objects.filter(pk=self.pk).values_list("body", flat=True).first()
        self.paragraph_ids, self.retired_paragraph_ids = carry_over(
            self.linkable_blocks(stored or ""),
            self.paragraph_ids or [],
            self.linkable_blocks(),
            self.retired_paragraph_ids or [],
        )

    def linkable_blocks(self, body=None):
        """The source text of each block of ``body`` (the section's own by default)
        that has a paragraph id."""
        text = self.body if body is None else body
        return [block.source for block in markdown_blocks(text) if block.linkable]

    def _unique_anchor(self):
        base = unicode_slug(self.heading, max_length=90, fallback="lead")
        taken = set(
            Section.objects.filter(note_id=self.note_id)
            .exclude(pk=self.pk)
            .values_list("anchor", flat=True)
        )
        anchor, n = base, 2
        while anchor in taken:
            anchor, n = f"{base}-{n}", n + 1
        return anchor


def figure_path(figure, filename):
    """A folder of its own for each upload; the renditions are saved beside it."""
    return f"figures/{uuid.uuid4().hex}/{filename}"


class Figure(models.Model):
    """A picture of a note: a chart, a map, a photograph.

    Numbered by its place in the note's list of figures (图1, 图2 …); a
    paragraph ``[[图2]]`` in a section places figure 2 there. Its files are in
    the private storage and reach readers only through ``notes.views_figures``,
    which serves a published note's figures to everyone and a draft's to those
    who may see the draft.
    """

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="figures")
    position = models.PositiveIntegerField(_("顺序"), default=0, db_index=True)
    image = models.FileField(
        _("图片"),
        upload_to=figure_path,
        storage=private_storage,
        max_length=300,
        help_text=_("JPEG、PNG 或 WebP，最大 10 MB、3000 万像素。图片中的 EXIF 等信息会被去除。"),
    )
    caption = models.CharField(_("图题"), max_length=300, blank=True)
    source = models.CharField(
        _("来源"), max_length=300, blank=True, help_text=_("如：国家统计局，作者整理。")
    )
    alt = models.CharField(
        _("替代文字"),
        max_length=500,
        help_text=_(
            "为看不到图片的读者描述图中内容，如：2020—2024 年出口增速折线图，2023 年最低。"
        ),
    )
    credit = models.CharField(_("版权署名"), max_length=200, blank=True)
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    renditions = models.JSONField(
        default=list, editable=False, help_text=_("按宽度生成的各个版本：名称、宽、高、字节数。")
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("图")
        verbose_name_plural = _("图")

    def __str__(self):
        return self.caption or self.alt

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            self.store_image(self.image)
        super().save(*args, **kwargs)

    def store_image(self, upload):
        """Check ``upload`` (``ValidationError`` when it is refused) and store its renditions.

        The upload itself is not kept: ``image`` becomes the largest rendition in the
        upload's own kind, re-encoded without metadata.
        """
        picture = images.open_checked(upload)
        ext, renditions = images.make_renditions(picture)
        storage = private_storage()
        folder = f"figures/{uuid.uuid4().hex}"
        for rendition in renditions:
            storage.save(f"{folder}/{rendition.name}", ContentFile(rendition.data))
        largest = [r for r in renditions if r.name.endswith("." + ext)][-1]
        self.image = f"{folder}/{largest.name}"
        self.width, self.height = largest.width, largest.height
        self.renditions = [r.as_dict() for r in renditions]

    def delete_files(self):
        if not self.image:
            return
        storage = private_storage()
        folder = str(Path(self.image.name).parent)
        for rendition in self.renditions:
            storage.delete(f"{folder}/{rendition['name']}")

    def rendition_path(self, name):
        """The stored path of the rendition called ``name``, or ``None``."""
        if self.image and any(r["name"] == name for r in self.renditions):
            return f"{Path(self.image.name).parent}/{name}"
        return None

    def file_url(self, name):
        return reverse("figure-file", kwargs={"pk": self.pk, "name": name})

    def sources(self):
        """``(extension, [(url, width), …])`` for each kind of rendition, WebP first."""
        kinds = {}
        for rendition in self.renditions:
            ext = rendition["name"].rsplit(".", 1)[-1]
            kinds.setdefault(ext, []).append((self.file_url(rendition["name"]), rendition))
        return sorted(kinds.items(), key=lambda item: item[0] != "webp")

    def largest(self, ext=None):
        """The widest rendition (in kind ``ext``; the fallback kind by default), or ``None``."""
        choices = [
            r
            for r in self.renditions
            if r["name"].endswith("." + ext if ext else "." + self.image.name.rsplit(".", 1)[-1])
        ]
        return max(choices, key=lambda r: r["width"], default=None)


class NoteEvent(models.Model):
    """One step in a note's editorial life: who did what, and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("创建")
        SUBMITTED = "submitted", _("提交审核")
        PUBLISHED = "published", _("发布")
        SCHEDULED = "scheduled", _("定时发布")
        WITHDRAWN = "withdrawn", _("撤回")
        BACK_TO_DRAFT = "draft", _("退回草稿")
        RESTORED = "restored", _("恢复历史版本")
        DELETED = "deleted", _("删除")
        RECOVERED = "recovered", _("从已删除中恢复")

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,  # a user with a record is deactivated, never deleted
        null=True,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    detail = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")

    def __str__(self):
        return f"{self.get_action_display()} {self.note_id}"


class ImportPreview(models.Model):
    """Briefs parsed from an upload, waiting for their owner to check and confirm.

    Kept in the database, not in the session (which holds nothing of it), so
    every app server sees it; the uploaded files wait in the private storage.
    Deleted when confirmed, and after ``LIFETIME``.
    """

    LIFETIME = timedelta(hours=24)

    token = models.CharField(max_length=32, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    entries = models.JSONField(default=list)
    size = models.PositiveIntegerField(default=0, help_text=_("解析结果与暂存文件的字节数。"))

    class Meta:
        verbose_name = _("导入预览")
        verbose_name_plural = _("导入预览")

    def __str__(self):
        return self.token

    @classmethod
    def live(cls):
        return cls.objects.filter(created_at__gt=timezone.now() - cls.LIFETIME)

    @classmethod
    def purge(cls, queryset=None):
        """Delete ``queryset`` (by default: the expired previews) with their files; how many."""
        if queryset is None:
            queryset = cls.objects.filter(created_at__lte=timezone.now() - cls.LIFETIME)
        previews = list(queryset)
        for preview in previews:
            preview.discard()
        return len(previews)

    def discard(self):
        storage = private_storage()
        for entry in self.entries:
            if entry.get("stored"):
                storage.delete(entry["stored"])
        self.delete()


class Correction(models.Model):
    """A public record that a published note was corrected or updated.

    ``previous`` keeps the wording readers saw before the change; it is public as
    earlier version ``number`` of the note (``/notes/<id>/<slug>/v/<number>/``).
    Only saves an editor marks as a correction or an update leave a record.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("更正")
        UPDATE = "update", _("更新")

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="corrections")
    number = models.PositiveIntegerField(_("版本号"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    message = models.CharField(
        _("公开说明"), max_length=300, help_text=_("读者可见，如：第二节中的日期有误，已更正。")
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    previous = models.JSONField(
        _("此前的文字"), help_text=_("标题、摘要、作者与各节，即这次修改之前读者看到的内容。")
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("更正与更新")
        verbose_name_plural = _("更正与更新")
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="correction_number_unique"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.note_id}/{self.number}"

    def get_absolute_url(self):
        return reverse(
            "notes:version",
            kwargs={"pk": self.note_id, "slug": self.note.slug, "number": self.number},
        )
