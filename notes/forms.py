from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notes import history
from notes.models import Note
from notes.publishing import MAX_SCHEDULE_AHEAD, WorkflowError, local_time, validate_schedule_time


def stale_message(note):
    """Who saved ``note`` last and when, in the site's time zone."""
    last = history.versions_of(note).first()
    who = last.revision.user if last and last.revision.user else None
    when = timezone.localtime(note.updated_at).strftime("%H:%M")
    if who:
        return _(
            "%(who)s 在 %(when)s 保存了这篇文章，您的修改没有保存，以免覆盖对方的内容。"
            "您填写的内容仍在下面，请复制后重新打开本页再修改。"
        ) % {"who": who, "when": when}
    return _(
        "有人在 %(when)s 保存了这篇文章，您的修改没有保存，以免覆盖对方的内容。"
        "您填写的内容仍在下面，请复制后重新打开本页再修改。"
    ) % {"when": when}


class NoteAdminForm(forms.ModelForm):
    """The note form; carries the version it was loaded with so a stale save is refused."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    source_url = forms.URLField(
        label=gettext_lazy("原文链接"), max_length=500, required=False, assume_scheme="https"
    )

    #: The preview renders a form without saving it, stale or not.
    check_version = True

    class Meta:
        model = Note
        fields = [
            "title", "slug", "series", "note_type", "language", "summary", "tags",
            "status", "published_at", "source_url", "offer_original",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.check_version:
            loaded = cleaned.get("loaded_version")
            if loaded != self.instance.version:
                raise ValidationError(stale_message(self.instance), code="stale")
        if "published_at" in self.fields:
            self._clean_published_at(cleaned.get("published_at"), cleaned.get("status"))
        return cleaned

    def _clean_published_at(self, at, status):
        now = timezone.now()
        if "_schedule" in self.data:
            try:
                validate_schedule_time(at, now=now)
            except WorkflowError as error:
                self.add_error("published_at", error.message)
            return
        if at is not None and at - now > MAX_SCHEDULE_AHEAD:
            self.add_error(
                "published_at",
                _("发布时间（%(at)s）超过一年以后，请检查年份。") % {"at": local_time(at)},
            )
        elif at is None and Note.Status.PUBLISHED in (status, self.instance.status):
            self.add_error(
                "published_at", _("发布的文章需要发布时间；设为将来的时间即为定时发布。")
            )
