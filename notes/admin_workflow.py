"""Who may do what in the note admin, the workflow buttons, bulk actions and safe saving."""

import reversion
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notes import corrections, publishing
from notes.models import Note
from notes.permissions import can_edit, can_restore, can_view, is_editor
from notes.publishing import WorkflowError, local_time

Status = Note.Status

#: Submit buttons of the change form: POST name -> (label, who and when it is offered).
BUTTONS = {
    "_submit_review": gettext_lazy("提交审核"),
    "_publish": gettext_lazy("发布"),
    "_schedule": gettext_lazy("定时发布"),
    "_withdraw": gettext_lazy("撤回"),
    "_back_to_draft": gettext_lazy("退回草稿"),
    "_recover": gettext_lazy("恢复为草稿"),
}

DONE = {
    "_submit_review": gettext_lazy("已提交审核。"),
    "_publish": gettext_lazy("已发布。"),
    "_schedule": gettext_lazy("已定时发布：%(at)s。"),
    "_withdraw": gettext_lazy("已撤回，读者不再能看到这篇文章。"),
    "_back_to_draft": gettext_lazy("已退回草稿。"),
    "_recover": gettext_lazy("已恢复为草稿；它的历史版本和操作记录都在。"),
}


def state_label(note):
    """The note's state, with the time for a scheduled one (site time zone)."""
    if note.is_scheduled:
        return _("定时发布于 %(at)s") % {"at": local_time(note.published_at)}
    return note.get_status_display()


def available_buttons(user, note):
    """The workflow buttons ``user`` is offered on ``note`` (``None`` when adding)."""
    if note is None:
        return ["_submit_review"]
    if not can_edit(user, note):
        return []
    if note.status == Status.DELETED:
        return ["_recover"] if is_editor(user) else []
    names = []
    if note.status == Status.DRAFT:
        names.append("_submit_review")
    if is_editor(user):
        if not note.is_published:
            names += ["_publish", "_schedule"]
        if note.status == Status.PUBLISHED:
            names.append("_withdraw")
        if note.status != Status.DRAFT:
            names.append("_back_to_draft")
    return names


def run_step(name, *, note, user):
    """Carry out the workflow step behind button ``name``; returns the success message."""
    if name == "_submit_review":
        publishing.submit_for_review(note=note, user=user)
    elif name == "_publish":
        publishing.publish(note=note, user=user, at=note.published_at)
    elif name == "_schedule":
        note = publishing.schedule(note=note, user=user, at=note.published_at)
        return DONE[name] % {"at": local_time(note.published_at)}
    elif name == "_withdraw":
        publishing.withdraw(note=note, user=user)
    elif name == "_back_to_draft":
        publishing.back_to_draft(note=note, user=user)
    elif name == "_recover":
        publishing.recover(note=note, user=user)
    return str(DONE[name])


class NoteWorkflowAdmin:
    actions = ["publish_selected", "withdraw_selected"]
    delete_confirmation_template = "admin/notes/note/delete_confirmation.html"

    # Permissions per object.

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or can_view(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or (is_editor(request.user) and obj.status != Status.DELETED)
        )

    def has_publish_permission(self, request):
        return is_editor(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not is_editor(request.user):
            fields.append("published_at")
        return fields

    # Saving: lock, compare versions, keep a version in the history.

    def get_object(self, request, object_id, from_field=None):
        if request.method == "POST" and transaction.get_connection().in_atomic_block:
            try:
                list(Note.objects.select_for_update().filter(pk=object_id).values_list("pk"))
            except (ValueError, TypeError, ValidationError):
                return None
        return super().get_object(request, object_id, from_field)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        user = request.user
        context.update(
            workflow_buttons=[(name, BUTTONS[name]) for name in available_buttons(user, obj)],
            state_label=state_label(obj) if obj else "",
            can_restore=obj is not None and can_restore(user, obj),
            record_changes=obj is not None and obj.is_published and can_edit(user, obj),
            note_events=(
                obj.events.select_related("actor")[:50] if obj and is_editor(user) else None
            ),
            preview_url=reverse(
                "admin:notes_note_preview" if obj else "admin:notes_note_preview_new",
                args=[obj.pk] if obj else [],
            ),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        kind = form.cleaned_data.get("change_kind") if change else ""
        # The wording readers saw, read before this save changes it.
        previous = corrections.public_wording(obj) if kind else None
        if change:
            obj.version = F("version") + 1
        else:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if change:
            obj.refresh_from_db(fields=["version"])
        else:
            publishing.record_creation(note=obj, user=request.user)
        if kind:
            corrections.record(
                note=obj,
                kind=kind,
                message=form.cleaned_data["change_message"],
                user=request.user,
                previous=previous,
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if reversion.is_active():
            # Store the note again now that its sections, byline and topics are saved.
            reversion.add_to_revision(form.instance)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message() or _("创建"))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message() or _("保存"))
        return entry

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_save(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._after_save(request, obj) or super().response_change(request, obj)

    def _after_save(self, request, obj):
        """Run the workflow button pressed, if any. A refusal keeps the saved content."""
        name = next((name for name in BUTTONS if name in request.POST), None)
        if name is None:
            missing = obj.status == Status.PUBLISHED and publishing.missing_for_publication(obj)
            if missing:
                messages.warning(
                    request,
                    _("这篇文章处于发布状态，但缺少：%(missing)s。")
                    % {"missing": "、".join(map(str, missing))},
                )
            return None
        try:
            message = run_step(name, note=obj, user=request.user)
        except WorkflowError as error:
            messages.error(request, _("内容已保存，但%(error)s") % {"error": error.message})
        else:
            messages.success(request, message)
        return HttpResponseRedirect(reverse("admin:notes_note_change", args=[obj.pk]))

    # Deleting moves a note to the deleted notes; nothing is erased.

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_deleted_objects(self, objs, request):
        """Only the note itself changes state: its sections, versions and record stay."""
        return [str(obj) for obj in objs], {Note._meta.verbose_name: len(objs)}, set(), []

    def delete_model(self, request, obj):
        publishing.delete(note=obj, user=request.user)

    def response_delete(self, request, obj_display, obj_id):
        messages.info(request, _("可在状态为「已删除」的文章中找到它，并恢复为草稿。"))
        return super().response_delete(request, obj_display, obj_id)

    # Bulk actions: the same checks, one note at a time, each under its own lock.

    def _bulk(self, request, queryset, step, done_message):
        done, refused = 0, []
        for note in queryset.order_by("pk"):
            try:
                with transaction.atomic():
                    step(note=note, user=request.user)
            except WorkflowError as error:
                refused.append(f"“{note}”：{error.message}")
            else:
                done += 1
        if done:
            messages.success(request, done_message % {"count": done})
        if refused:
            messages.error(request, _("以下文章未处理：") + "；".join(refused))

    @admin.action(description=gettext_lazy("发布所选文章"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, publishing.publish, _("已发布 %(count)d 篇文章。"))

    @admin.action(description=gettext_lazy("撤回所选文章"), permissions=["publish"])
    def withdraw_selected(self, request, queryset):
        self._bulk(request, queryset, publishing.withdraw, _("已撤回 %(count)d 篇文章。"))
