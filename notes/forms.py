from django import forms
from django.utils.translation import gettext_lazy as _

from notes.models import Note


class NoteAdminForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("原文链接"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Note
        fields = [
            "title", "slug", "series", "note_type", "language", "summary", "tags",
            "status", "published_at", "source_url",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Note.Status.PUBLISHED and not cleaned.get("published_at"):
            self.add_error(
                "published_at",
                _("发布的文章需要发布时间；设为将来的时间即为定时发布。"),
            )
        return cleaned
