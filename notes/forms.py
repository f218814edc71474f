from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notes import history, images
from notes.models import Correction, Figure, Note, Section
from notes.publishing import MAX_SCHEDULE_AHEAD, WorkflowError, local_time, validate_schedule_time
from notes.rendering import footnote_problems


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
    change_kind = forms.ChoiceField(
        label=gettext_lazy("这次修改是否公开记录"),
        choices=[("", gettext_lazy("不记录（如改正错别字）")), *Correction.Kind.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "标为更正或更新时，文章页在署名下列出这次修改，修改前的文字作为旧版本公开。"
        ),
    )
    change_message = forms.CharField(
        label=gettext_lazy("公开说明"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text=gettext_lazy("读者可见，一两句话，如：第二节中的会谈日期有误，已更正。"),
    )
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
        self._clean_change_record(cleaned.get("change_kind"), cleaned.get("change_message", ""))
        return cleaned

    def _clean_change_record(self, kind, message):
        """A correction or update is for a note readers can see, and says what changed."""
        message = message.strip()
        if not kind and not message:
            return
        if not (self.instance.pk and self.instance.is_published):
            self.add_error("change_kind", _("只有已上线的文章可以标注更正或更新。"))
        elif not message:
            self.add_error("change_message", _("请写一句读者可见的说明。"))
        elif not kind:
            self.add_error("change_kind", _("请选择“更正”或“更新”，或者清空公开说明。"))

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


class FigureForm(forms.ModelForm):
    """A figure of a note: the upload is checked here, so a refused file is a form error."""

    class Meta:
        model = Figure
        fields = ["image", "caption", "source", "alt", "credit", "position"]
        # The thumbnail shows the current picture: its stored name is no link to follow.
        widgets = {"image": forms.FileInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caption"].required = True
        self.fields["image"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if isinstance(upload, UploadedFile):
            images.open_checked(upload)
        return upload


class SectionForm(forms.ModelForm):
    """A section; footnotes must be defined and referred to in the same section."""

    class Meta:
        model = Section
        fields = ["heading", "body", "anchor", "position"]

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        undefined, unused = footnote_problems(body)
        errors = []
        if undefined:
            errors.append(
                ValidationError(
                    _("脚注 %(labels)s 在本节中没有定义；请在本节末尾加上“[^名称]: 注释内容”。"),
                    params={"labels": "、".join(f"[^{label}]" for label in undefined)},
                )
            )
        if unused:
            errors.append(
                ValidationError(
                    _("脚注 %(labels)s 在本节正文中没有被引用，不会显示。"),
                    params={"labels": "、".join(f"[^{label}]" for label in unused)},
                )
            )
        if errors:
            raise ValidationError(errors)
        return body
