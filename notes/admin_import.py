"""The admin's "import a brief" pages: upload, check and correct, create drafts.

The parsed briefs and the uploaded files wait in an :class:`ImportPreview`
(database row, files in the private storage) owned by the user, not in the
session, until the user confirms; nothing reaches the notes before that. The
identity of each brief (its parsed title and first author) never comes from
the form. A preview is deleted when used, and after 24 hours.
"""

import json
import secrets
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from notes.import_forms import BriefForm, UploadForm
from notes.importing import BriefError, load_brief
from notes.importing.readers import MAX_FILE_SIZE, check_size, extract
from notes.importing.store import import_key, save_brief
from notes.models import ImportPreview, NoteType, private_storage
from notes.views_original import serve_original

#: Previews one user keeps at once; older ones are deleted.
MAX_PREVIEWS = 3
#: Source text kept for the side-by-side view, per file.
MAX_SOURCE_CHARS = 20_000
#: Bytes one preview may hold (uploaded files waiting, and parsed text); files past it
#: are refused with a message.
MAX_PREVIEW_BYTES = 100 * 1024 * 1024


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
            "<int:pk>/original/",
            site.admin_view(lambda request, pk: original_view(request, model_admin, pk)),
            name="notes_note_original",
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


def _read_upload(upload, known_types, token, index, budget):
    """One preview entry for an uploaded file (its parsed brief, or what went wrong), and
    the bytes it takes."""
    entry = {"filename": Path(upload.name).name, "source": "", "parsed": None, "error": None}
    try:
        check_size(upload.size)
        if upload.size > budget:
            raise BriefError(
                _("这批文件合计超过 %(limit)d MB，此文件未读取；请分批上传。")
                % {"limit": MAX_PREVIEW_BYTES // 1024 // 1024}
            )
        data = upload.read(MAX_FILE_SIZE + 1)
        text, brief = load_brief(upload.name, data, known_types=known_types)
    except BriefError as error:
        entry["error"] = str(error)
        return entry, 0
    entry["source"] = text[:MAX_SOURCE_CHARS]
    entry["parsed"] = {**brief.as_dict(), "keywords": brief.keywords}
    entry["identity"] = import_key(brief)
    name = f"import-previews/{token}/{index}{Path(upload.name).suffix.lower()[:10]}"
    entry["stored"] = private_storage().save(name, ContentFile(data))
    return entry, len(data) + len(entry["source"].encode())


def upload_view(request, model_admin):
    _check_permission(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        ImportPreview.purge()
        mine = ImportPreview.objects.filter(owner=request.user).order_by("-created_at")
        ImportPreview.purge(mine[MAX_PREVIEWS - 1 :])
        known_types = [n for pair in NoteType.objects.values_list("name", "name_en") for n in pair]
        token, entries, size = secrets.token_urlsafe(16), [], 0
        for index, upload in enumerate(form.cleaned_data["files"]):
            entry, used = _read_upload(upload, known_types, token, index, MAX_PREVIEW_BYTES - size)
            entries.append(entry)
            size += used
        size += len(json.dumps(entries, ensure_ascii=False).encode())
        ImportPreview.objects.create(token=token, owner=request.user, entries=entries, size=size)
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


def _original(entry):
    """``(file name, bytes)`` of the uploaded file waiting in the preview, if kept."""
    if not entry.get("stored"):
        return None
    try:
        with private_storage().open(entry["stored"]) as handle:
            return entry["filename"], handle.read()
    except OSError:
        return None


def _figures(original):
    """The pictures of the file waiting in the preview (read again: the preview keeps
    only text); none when it is gone or unreadable."""
    if original is None:
        return []
    try:
        return extract(*original).figures
    except BriefError:
        return []


def _save(request, model_admin, entry, form):
    """Save one corrected brief (in its own transaction) and say how it went."""
    user, name = request.user, entry["filename"]
    original = _original(entry)
    try:
        result = save_brief(
            form.to_brief(),
            identity=entry["identity"],
            user=user,
            create_taxonomy=True,  # the form refused unknown ones not confirmed or allowed
            create_authors=user.has_perm("notes.add_author"),
            may_update=_may_update(request, model_admin),
            original=original,
            offer_original=form.cleaned_data["offer_original"],
            figures=_figures(original),
        )
    except BriefError as error:
        messages.error(request, f"{name}：{error}")
        return
    if result.created:
        verb = _("已创建草稿")
    else:
        verb = _("已更新草稿（同一简报导入过：标题和第一作者相同）")
    url = reverse("admin:notes_note_change", args=[result.note.pk])
    messages.success(
        request, format_html('{}：{}《<a href="{}">{}</a>》', name, verb, url, result.note.title)
    )
    for warning in result.warnings:
        messages.warning(request, f"{name}：{warning}")


def _item(entry, form):
    """What the template shows for one file: its fields, each with its warnings."""
    if form is None:
        return {"entry": entry, "form": None}
    warnings = {}
    for warning in entry["parsed"]["warnings"]:
        warnings.setdefault(warning["field"], []).append(warning["message"])
    for name, value in form.missing_taxonomy().items():
        label = _("栏目") if name == "series" else _("类型")
        warnings.setdefault(name, []).append(
            _("%(label)s“%(name)s”还不存在：确认新建请勾选下面的“新建”，或改为已有的。")
            % {"label": label, "name": value}
        )
    fields = [(field, warnings.get(field.name, [])) for field in form]
    return {"entry": entry, "form": form, "fields": fields, "warnings": warnings.get("", [])}


def original_view(request, model_admin, pk):
    """The imported file of a note the user may see in the admin, whatever its state."""
    note = model_admin.get_queryset(request).filter(pk=pk).first()
    if note is None or not model_admin.has_view_permission(request, note):
        raise Http404
    return serve_original(note)


def preview_view(request, model_admin, token):
    _check_permission(request)
    preview = ImportPreview.live().filter(token=token, owner=request.user).first()
    if preview is None:
        raise Http404(_("这批导入已过期或已用过，请重新上传。"))

    items = []
    for index, entry in enumerate(preview.entries):
        form = None
        if entry["parsed"] is not None:
            form = BriefForm(
                request.POST if request.method == "POST" else None,
                prefix=f"brief-{index}",
                initial=BriefForm.initial_from(entry["parsed"]),
                user=request.user,
            )
        items.append(_item(entry, form))

    forms = [item["form"] for item in items if item["form"] is not None]
    if request.method == "POST" and forms and all(form.is_valid() for form in forms):
        for item in items:
            if item["form"] is not None:
                _save(request, model_admin, item["entry"], item["form"])
        with transaction.atomic():
            preview.discard()
        return redirect(reverse("admin:notes_note_changelist"))

    return TemplateResponse(
        request,
        "admin/notes/note/import_preview.html",
        _context(request, model_admin, items=items, has_forms=bool(forms)),
    )
