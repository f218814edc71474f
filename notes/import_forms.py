"""Forms of the "import a brief" admin pages: the upload, and one editable brief."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from notes.importing import EXTENSIONS, ParsedBrief, ParsedSection
from notes.importing.bylines import AuthorCredit
from notes.importing.store import find_note_type, find_series
from notes.importing.text import join_lines
from notes.models import Note

MAX_FILES = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(EXTENSIONS)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        files = [f for f in files if f]
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("一次最多导入 %(count)d 个文件。"), params={"count": MAX_FILES}
            )
        return files


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("简报文件"),
        help_text=_(
            "可多选：.txt、.md（UTF-8 或 GB18030）、.pdf（须有文字层）、.docx；每个不超过 20 MB。"
        ),
    )


def _paragraphs(text):
    return [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]


class BriefForm(forms.Form):
    """One parsed brief, as editable text: each part in its own field."""

    title = forms.CharField(label=_("标题"), max_length=200)
    series = forms.CharField(
        label=_("栏目"), max_length=100, required=False, help_text=_("按名称匹配已有栏目。")
    )
    create_series = forms.BooleanField(
        label=_("新建这个栏目"),
        required=False,
        help_text=_("栏目不存在时，勾选才会新建；否则请改为已有栏目或留空。"),
    )
    note_type = forms.CharField(
        label=_("类型"), max_length=100, required=False, help_text=_("按名称匹配已有类型。")
    )
    create_type = forms.BooleanField(
        label=_("新建这个类型"),
        required=False,
        help_text=_("类型不存在时，勾选才会新建；否则请改为已有类型或留空。"),
    )
    language = forms.ChoiceField(label=_("语言"), choices=Note.Language.choices)
    summary = forms.CharField(
        label=_("摘要"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("空一行分段。"),
    )
    authors = forms.CharField(
        label=_("作者"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一位：姓名 / 职务 / 单位。按姓名匹配已有作者。"),
    )
    sections = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("以“## ”开头的行是小标题，其前的文字是导语；空一行分段；“### ”是小节标题。"),
    )
    keywords = forms.CharField(
        label=_("主题"), max_length=500, required=False, help_text=_("用逗号分隔。")
    )
    source_url = forms.URLField(
        label=_("原文链接"), max_length=500, required=False, assume_scheme="https"
    )
    offer_original = forms.BooleanField(
        label=_("提供原文下载"),
        required=False,
        help_text=_("文章发布后，在文章页提供导入的原文件下载。"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def missing_taxonomy(self, data=None) -> dict:
        """``{"series": name, "note_type": name}`` for the names that match nothing."""
        data = self.initial if data is None else data
        missing = {}
        series, note_type = (
            (data.get("series") or "").strip(),
            (data.get("note_type") or "").strip(),
        )
        if series and find_series(series, create=False) is None:
            missing["series"] = series
        if note_type and find_note_type(note_type, create=False) is None:
            missing["note_type"] = note_type
        return missing

    def clean(self):
        """A series or type that does not exist is created only when asked, and allowed."""
        data = super().clean()
        for name, value in self.missing_taxonomy(data).items():
            model = "series" if name == "series" else "notetype"
            label = _("栏目") if name == "series" else _("类型")
            if self.user is not None and not self.user.has_perm(f"notes.add_{model}"):
                self.add_error(
                    name,
                    _("%(label)s“%(name)s”不存在，您无权新建；请改为已有的或留空。")
                    % {"label": label, "name": value},
                )
            elif not data.get("create_series" if name == "series" else "create_type"):
                self.add_error(
                    name,
                    _("%(label)s“%(name)s”不存在：勾选下面的“新建”，或改为已有的，或留空。")
                    % {"label": label, "name": value},
                )
        return data

    @staticmethod
    def initial_from(data: dict) -> dict:
        """Form initial values from a parsed brief's dictionary."""
        blocks = []
        for section in data["sections"]:
            if section["heading"]:
                blocks.append(f"## {section['heading']}")
            blocks.extend(section["paragraphs"])
        return {
            "title": data["title"],
            "series": data["series"] or "",
            "note_type": data["type"] or "",
            "language": data["language"],
            "summary": "\n\n".join(data["summary"]),
            "authors": "\n".join(
                " / ".join((a["name"], a["title"], a["affiliation"])) for a in data["authors"]
            ),
            "sections": "\n\n".join(blocks),
            "keywords": "，".join(data.get("keywords", [])),
            "source_url": data["source_url"] or "",
        }

    def clean_authors(self):
        credits = []
        for number, line in enumerate(self.cleaned_data["authors"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in re.split(r"\s*[/／]\s*", line.strip())]
            if not parts[0] or len(parts) > 3:
                raise forms.ValidationError(
                    _("第 %(number)d 行应为：姓名 / 职务 / 单位。"), params={"number": number}
                )
            parts += [""] * (3 - len(parts))
            credits.append(AuthorCredit(name=parts[0], title=parts[1], affiliation=parts[2]))
        return credits

    def clean_sections(self):
        sections, current = [], ParsedSection("")
        for block in _paragraphs(self.cleaned_data["sections"]):
            lines = block.split("\n")
            while lines and lines[0].startswith("## "):
                if current.heading or current.paragraphs:
                    sections.append(current)
                current = ParsedSection(lines.pop(0)[3:].strip()[:200])
            if lines:
                current.paragraphs.append(join_lines(lines))
        if current.heading or current.paragraphs:
            sections.append(current)
        if not any(s.paragraphs for s in sections):
            raise forms.ValidationError(_("正文不能为空。"))
        return sections

    def to_brief(self) -> ParsedBrief:
        data = self.cleaned_data
        return ParsedBrief(
            title=data["title"].strip(),
            series=data["series"].strip() or None,
            type=data["note_type"].strip() or None,
            language=data["language"],
            summary=_paragraphs(data["summary"]),
            authors=data["authors"],
            sections=data["sections"],
            source_url=data["source_url"] or None,
            keywords=[k.strip() for k in re.split(r"[，,、；;]", data["keywords"]) if k.strip()],
        )
