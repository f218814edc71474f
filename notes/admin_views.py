"""The note admin's own pages: preview, history, a version's diff and its restore."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from taggit.utils import parse_tags

from notes import history
from notes.models import Authorship, Note, Section, Topic
from notes.permissions import can_restore, can_view, is_editor
from notes.rendering import render_markdown
from notes.views import note_page_context


class NoteAdminViews:
    """Mixed into the note admin: extra URLs, each checking permission on the note."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        name = "notes_note_"
        return [
            path("add/preview/", wrap(self.preview_view), name=f"{name}preview_new"),
            path("<path:object_id>/preview/", wrap(self.preview_view), name=f"{name}preview"),
            path(
                "<path:object_id>/history/<int:version_id>/",
                wrap(self.version_diff_view),
                name=f"{name}version",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                wrap(require_POST(self.restore_view)),
                name=f"{name}restore",
            ),
            *super().get_urls(),
        ]

    def _note_or_404(self, request, object_id):
        """The note, or 404 when it does not exist or the user may not see it."""
        try:
            note = Note.objects.filter(pk=unquote(object_id)).first()
        except (ValueError, TypeError):
            note = None
        if note is None or not can_view(request.user, note):
            raise Http404
        return note

    # Preview.

    def preview_view(self, request, object_id=None):
        """GET: the saved note as the public would see it. POST: the unsaved form."""
        note = self._note_or_404(request, object_id) if object_id else None
        if note is None and not self.has_add_permission(request):
            raise Http404
        if request.method == "POST":
            context = self._preview_from_form(request, note)
        elif note is not None:
            context = note_page_context(note)
        else:
            raise Http404
        if "form_errors" in context:
            response = TemplateResponse(
                request,
                "admin/notes/note/preview_errors.html",
                {**self.admin_site.each_context(request), **context},
            )
        else:
            context["preview"] = True
            response = TemplateResponse(request, "notes/note_detail.html", context)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
        return response

    def _preview_from_form(self, request, note):
        form_class = self.get_form(request, note, change=note is not None)
        form = form_class(request.POST, request.FILES, instance=note or Note())
        form.check_version = False
        if not form.is_valid():
            return {"form_errors": form.errors, "title": _("预览")}
        unsaved = form.instance
        formsets, _inlines = self._create_formsets(request, unsaved, change=note is not None)
        sections, authorships = [], []
        for formset in formsets:
            for inline_form in formset.forms:
                if not inline_form.is_valid() or formset._should_delete_form(inline_form):
                    continue
                if not inline_form.has_changed() and inline_form.instance.pk is None:
                    continue
                row = inline_form.instance
                if isinstance(row, Section):
                    row.body_html = render_markdown(row.body, language=unsaved.language)
                    sections.append(row)
                elif isinstance(row, Authorship) and row.author_id:
                    authorships.append(row)
        tag_names = form.cleaned_data.get("tags") or []
        if isinstance(tag_names, str):
            tag_names = parse_tags(tag_names)
        existing = {t.name.lower(): t for t in Topic.objects.filter(name__in=tag_names)}
        topics = [
            existing.get(name.lower()) or Topic(name=name, slug=Topic().slugify(name))
            for name in tag_names
        ]
        return note_page_context(
            unsaved,
            authorships=sorted(authorships, key=lambda a: a.position),
            sections=sorted(sections, key=lambda s: s.position),
            topics=sorted(topics, key=lambda t: t.name),
        )

    # History.

    def history_view(self, request, object_id, extra_context=None):
        note = self._note_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": note,
            "title": _("“%(note)s”的历史版本") % {"note": note},
            "versions": history.versions_of(note),
            "can_restore": can_restore(request.user, note),
            "events": note.events.select_related("actor") if is_editor(request.user) else None,
        }
        return TemplateResponse(request, "admin/notes/note/version_list.html", context)

    def _version_or_404(self, note, version_id):
        return get_object_or_404(history.versions_of(note), pk=version_id)

    def version_diff_view(self, request, object_id, version_id):
        note = self._note_or_404(request, object_id)
        version = self._version_or_404(note, version_id)
        rows = history.compare(history.snapshot_of_version(version), history.snapshot_of_note(note))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": note,
            "version": version,
            "rows": rows,
            "unchanged": not any(changed for _label, changed, _html in rows),
            "can_restore": can_restore(request.user, note),
            "title": _("与当前内容比较"),
        }
        return TemplateResponse(request, "admin/notes/note/version_diff.html", context)

    def restore_view(self, request, object_id, version_id):
        note = self._note_or_404(request, object_id)
        version = self._version_or_404(note, version_id)
        try:
            skipped = history.restore_version(note=note, version=version, user=request.user)
        except history.RestoreError as error:
            messages.error(request, error.message)
            return redirect(reverse("admin:notes_note_history", args=[note.pk]))
        messages.success(request, _("已恢复到所选版本；恢复本身也已保存为一个新版本。"))
        if skipped:
            messages.warning(
                request,
                _("以下内容已被删除，未能恢复：%(rows)s。") % {"rows": "、".join(skipped)},
            )
        return redirect(reverse("admin:notes_note_change", args=[note.pk]))
