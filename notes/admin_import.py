"""The admin's "import a brief" pages: upload, check and correct, create drafts.

The parsed briefs wait in the user's session between the upload and the
creation, so nothing reaches the database until the user confirms, and the
identity of each brief (file name and parsed title) never comes from the form.
"""

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from notes.import_forms import BriefForm, UploadForm
from notes.importing import BriefError, load_brief
from notes.importing.readers import MAX_FILE_SIZE, check_size
from notes.importing.store import save_brief
from notes.models import NoteType

SESSION_KEY = "brief_imports"
#: Batches kept in the session at once; older ones are dropped.
MAX_BATCHES = 3
#: Source text kept for the side-by-side view.
MAX_SOURCE_CHARS = 50_000


def import_urls(model_admin):
    """URL patterns to add to ``NoteAdmin.get_urls()``."""
    site = model_admin.admin_site
    return [
        path(
            "import/",
            site.admin_view(lambda request: upload_view(request, model_admin)),
            name="notes_note_import",
        ),
        path(
            "import/<str:token>/",
            site.admin_view(lambda request, token: preview_view(request, model_admin, token)),
            name="notes_note_import_preview",
        ),
    ]


def _check_permission(request):
    if not request.user.has_perm("notes.add_note"):
        raise PermissionDenied


def _context(request, model_admin, **extra):
    opts = model_admin.model._meta
    return {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "app_label": opts.app_label,
        "title": _("导入简报"),
        **extra,
    }


def _read_upload(upload, known_types):
    """One session entry for an uploaded file: its parsed brief, or what went wrong."""
    entry = {"filename": upload.name, "source": "", "parsed": None, "error": None}
    try:
        check_size(upload.size)
        data = upload.read(MAX_FILE_SIZE + 1)
        text, brief = load_brief(upload.name, data, known_types=known_types)
    except BriefError as error:
        entry["error"] = str(error)
        return entry
    entry["source"] = text[:MAX_SOURCE_CHARS]
    entry["parsed"] = {**brief.as_dict(), "keywords": brief.keywords}
    return entry


def upload_view(request, model_admin):
    _check_permission(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        known_types = [n for pair in NoteType.objects.values_list("name", "name_en") for n in pair]
        entries = [_read_upload(f, known_types) for f in form.cleaned_data["files"]]
        batches = request.session.get(SESSION_KEY, {})
        while len(batches) >= MAX_BATCHES:
            batches.pop(next(iter(batches)))
        token = secrets.token_urlsafe(12)
        batches[token] = entries
        request.session[SESSION_KEY] = batches
        return redirect("admin:notes_note_import_preview", token=token)
    return TemplateResponse(
        request, "admin/notes/note/import_upload.html", _context(request, model_admin, form=form)
    )


def _may_update(request, model_admin):
    def check(note):
        return model_admin.has_change_permission(request, note) and (
            model_admin.get_queryset(request).filter(pk=note.pk).exists()
        )

    return check


def _save(request, model_admin, entry, form):
    """Save one corrected brief (in its own transaction) and say how it went."""
    user, name = request.user, entry["filename"]
    try:
        result = save_brief(
            form.to_brief(),
            filename=name,
            identity_title=entry["parsed"]["title"],
            user=user,
            create_taxonomy=user.has_perm("notes.add_series")
            and user.has_perm("notes.add_notetype"),
            create_authors=user.has_perm("notes.add_author"),
            may_update=_may_update(request, model_admin),
        )
    except BriefError as error:
        messages.error(request, f"{name}：{error}")
        return
    verb = _("已创建草稿") if result.created else _("已更新草稿")
    url = reverse("admin:notes_note_change", args=[result.note.pk])
    messages.success(
        request, format_html('{}：{}《<a href="{}">{}</a>》', name, verb, url, result.note.title)
    )
    for warning in result.warnings:
        messages.warning(request, f"{name}：{warning}")


def preview_view(request, model_admin, token):
    _check_permission(request)
    batches = request.session.get(SESSION_KEY, {})
    entries = batches.get(token)
    if entries is None:
        raise Http404(_("这批导入已过期，请重新上传。"))

    items = []
    for index, entry in enumerate(entries):
        form = None
        if entry["parsed"] is not None:
            form = BriefForm(
                request.POST if request.method == "POST" else None,
                prefix=f"brief-{index}",
                initial=BriefForm.initial_from(entry["parsed"]),
            )
        items.append({"entry": entry, "form": form})

    forms = [item["form"] for item in items if item["form"] is not None]
    if request.method == "POST" and forms and all(form.is_valid() for form in forms):
        for item in items:
            if item["form"] is not None:
                _save(request, model_admin, item["entry"], item["form"])
        batches.pop(token, None)
        request.session[SESSION_KEY] = batches
        return redirect(reverse("admin:notes_note_changelist"))

    return TemplateResponse(
        request,
        "admin/notes/note/import_preview.html",
        _context(request, model_admin, items=items, has_forms=bool(forms)),
    )
