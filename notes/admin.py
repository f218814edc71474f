from adminsortable2.admin import (
    CustomInlineFormSet,
    SortableAdminBase,
    SortableStackedInline,
    SortableTabularInline,
)
from django.contrib import admin
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from notes.admin_views import NoteAdminViews
from notes.admin_workflow import NoteWorkflowAdmin, state_label
from notes.forms import FigureForm, NoteAdminForm, SectionForm
from notes.models import (
    Author,
    Authorship,
    Figure,
    Note,
    NoteType,
    Section,
    Series,
    TaggedNote,
    Topic,
)
from notes.permissions import can_edit, is_editor
from notes.rendering import figure_label

#: Rows being moved are parked this far up first, so a swap never trips the
#: (note, position) unique constraint half-way through a save.
POSITION_PARKING_OFFSET = 1_000_000


class LabelledSplitDateTime(widgets.AdminSplitDateTime):
    """Django's date and time inputs with a label for each (see its template)."""

    template_name = "notes/widgets/split_datetime.html"


class PositionedInlineFormSet(CustomInlineFormSet):
    """Inline formset for rows ordered by ``position`` under a unique (note, position).

    Duplicate positions in the submission become a form error; reordered rows
    are saved without a transient clash.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs.setdefault("aria-label", form.fields["DELETE"].label)

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            position = form.cleaned_data.get("position")
            if not position:
                continue
            if position in seen:
                form.add_error("position", _("这个顺序号与另一行重复。"))
                raise ValidationError(
                    _("两行的顺序号相同（%(position)s），请调整后再保存。"),
                    params={"position": position},
                )
            seen[position] = form

    def save_existing_objects(self, commit=True):
        moving = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk
            and (self._should_delete_form(form) or "position" in form.changed_data)
        ]
        if commit and moving:
            self.model.objects.filter(pk__in=moving).update(
                position=F("position") + POSITION_PARKING_OFFSET
            )
        return super().save_existing_objects(commit)


class PositionedInlineForm:
    """Leave (note, position) uniqueness to the formset, which sees the whole new order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A table row's inputs have no <label> of their own: each is named for its column.
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.add("position")
        return exclusions


class NoteChildInline:
    """Rows of a note may be changed exactly when the note may."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (
            obj is None or can_edit(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or can_edit(request.user, obj)
        )


class AuthorshipInline(NoteChildInline, SortableTabularInline):
    model = Authorship
    formset = PositionedInlineFormSet
    autocomplete_fields = ["author"]
    fields = ["author", "byline", "position"]
    extra = 0
    min_num = 0
    template = "admin/edit_inline/sortable_tabular.html"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (PositionedInlineForm, formset.form), {})
        return formset


class SectionInline(NoteChildInline, SortableStackedInline):
    model = Section
    form = SectionForm
    formset = PositionedInlineFormSet
    fields = ["heading", "body", "anchor", "position"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (PositionedInlineForm, formset.form), {})
        return formset


class FigureInline(NoteChildInline, SortableTabularInline):
    """Figures in their order, which gives their numbers; each shows the line that places it."""

    model = Figure
    form = FigureForm
    formset = PositionedInlineFormSet
    fields = ["thumbnail", "placement", "image", "caption", "source", "alt", "credit", "position"]
    readonly_fields = ["thumbnail", "placement"]
    extra = 0
    template = "admin/edit_inline/sortable_tabular.html"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (PositionedInlineForm, formset.form), {})
        return formset

    @admin.display(description=_("缩略图"))
    def thumbnail(self, obj):
        smallest = min(
            (r for r in obj.renditions if r["name"].endswith(".webp")),
            key=lambda r: r["width"],
            default=None,
        )
        if not obj.pk or smallest is None:
            return "—"
        return format_html(
            '<img class="figure-thumb" src="{}" width="120" height="{}" alt="{}">',
            obj.file_url(smallest["name"]),
            round(120 * smallest["height"] / max(smallest["width"], 1)),
            obj.alt,
        )

    @admin.display(description=_("在正文中插入"))
    def placement(self, obj):
        if not obj.pk:
            return "—"
        number = [f.pk for f in obj.note.figures.all()].index(obj.pk) + 1
        return format_html("<code>[[{}]]</code>", figure_label("figure", number, obj.note.language))


class StatusListFilter(admin.SimpleListFilter):
    """The note's status; deleted notes are listed only when asked for."""

    title = _("状态")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Note.Status.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset.exclude(status=Note.Status.DELETED)


class TopicListFilter(admin.SimpleListFilter):
    title = _("主题")
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        """Topics of the notes this user's list can show, and no others."""
        notes = model_admin.get_queryset(request).values("pk")
        return Topic.objects.filter(
            Exists(TaggedNote.objects.filter(tag=OuterRef("pk"), content_object__in=notes))
        ).values_list("slug", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


@admin.register(Note)
class NoteAdmin(NoteAdminViews, NoteWorkflowAdmin, SortableAdminBase, admin.ModelAdmin):
    form = NoteAdminForm
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    change_form_template = "admin/notes/note/change_form.html"
    list_display = ["title", "series", "note_type", "list_state", "published_at", "author_names"]
    list_filter = [StatusListFilter, "series", "note_type", TopicListFilter, "authors", "language"]
    list_select_related = ["series", "note_type"]
    search_fields = ["title", "summary", "authors__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AuthorshipInline, SectionInline, FigureInline]
    readonly_fields = [
        "state",
        "original",
        "created_by",
        "created_at",
        "updated_at",
        "version",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "series",
                    "note_type",
                    "language",
                    "summary",
                    "tags",
                    "loaded_version",
                ]
            },
        ),
        (
            _("发布"),
            {"fields": ["state", "published_at", "source_url", "original", "offer_original"]},
        ),
        (
            _("记录"),
            {
                "classes": ["collapse"],
                "fields": ["created_by", "created_at", "updated_at", "version"],
            },
        ),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("authorships__author")
        if is_editor(request.user):
            return queryset
        return queryset.filter(pk__in=Note.objects.owned_by(request.user).values("pk"))

    def get_urls(self):
        from notes.admin_import import import_urls

        return import_urls(self) + super().get_urls()

    @admin.display(description=_("作者"))
    def author_names(self, obj):
        # Names break between each other, never inside one.
        return format_html_join(
            "、",
            '<span class="name">{}</span>',
            ((a.author.name,) for a in obj.ordered_authorships()),
        )

    @admin.display(description=_("状态"), ordering="status")
    def state(self, obj):
        return state_label(obj)

    @admin.display(description=_("状态"), ordering="status")
    def list_state(self, obj):
        # The list shows a scheduled note's time in the next column, not twice.
        return _("定时发布") if obj.is_scheduled else obj.get_status_display()

    @admin.display(description=_("原文文件"))
    def original(self, obj):
        if not obj.pk or not obj.original_file:
            return "—"
        url = reverse("admin:notes_note_original", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "affiliation", "user", "note_count"]
    ordering = ["name"]
    search_fields = ["name", "affiliation", "title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    view_on_site = True

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_note_count=Count("authorships"))

    def get_readonly_fields(self, request, obj=None):
        # Linking a profile to an account grants that account the profile's notes.
        if is_editor(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, "user"]

    def has_change_permission(self, request, obj=None):
        """Authors change only the profile linked to their own account."""
        return super().has_change_permission(request, obj) and (
            obj is None or is_editor(request.user) or obj.user_id == request.user.pk
        )

    @admin.display(description=_("文章数"), ordering="_note_count")
    def note_count(self, obj):
        return obj._note_count


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(NoteType)
class NoteTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "note_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        """Editors see every topic; authors only those of notes they can read."""
        queryset = super().get_queryset(request)
        if is_editor(request.user):
            return queryset.annotate(_note_count=Count("tagged_notes"))
        readable = Q(tagged_notes__content_object__in=Note.objects.visible_to(request.user))
        return queryset.annotate(_note_count=Count("tagged_notes", filter=readable)).filter(
            _note_count__gt=0
        )

    @admin.display(description=_("文章数"), ordering="_note_count")
    def note_count(self, obj):
        return obj._note_count


# The project's topics replace taggit's own tag model, which stays unused.
admin.site.unregister(Tag)
