import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.utils import timezone

from notes.models import Author, Note, NoteType, Section, Series
from tests.factories import AuthorFactory, NoteTypeFactory, SeriesFactory
from tests.notes.brief_files import BRIEFS

SAMPLE = "000_636cb319c578582a.txt"
ZH = BRIEFS / "platform_layout_zh.txt"
EN = BRIEFS / "plain_en.txt"
KEYS = [
    "title",
    "series",
    "type",
    "language",
    "summary",
    "authors",
    "sections",
    "source_url",
    "warnings",
]


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_brief", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_brief", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), error.value


# No database marker: any query in --json mode would fail the test.
@pytest.mark.shared
def test_json_prints_one_object_per_file_without_the_database(shared_briefs):
    out, err = run(shared_briefs / SAMPLE, EN, "--json")
    lines = out.strip().split("\n")
    assert len(lines) == 2
    sample, english = (json.loads(line) for line in lines)
    assert list(sample) == KEYS
    assert sample["title"] == "中美阿拉斯加首场会晤针锋相对"
    assert [len(s["paragraphs"]) for s in sample["sections"]] == [1, 7, 4, 3]
    assert sample["authors"] == [
        {"name": "马鑫", "title": "特约研究员", "affiliation": "第一财经研究院"}
    ]
    assert english["language"] == "en"
    assert english["source_url"] == "https://example.org/notes/shipping-costs"
    assert "中美" in lines[0]  # ensure_ascii=False
    assert "导入 2，更新 0，失败 0" in err


@pytest.mark.django_db
@pytest.mark.shared
def test_import_creates_a_draft(shared_briefs):
    out, _ = run(shared_briefs / SAMPLE, "--create-taxonomy")
    note = Note.objects.get()
    assert note.status == Note.Status.DRAFT
    assert note.published_at is None
    assert note.title == "中美阿拉斯加首场会晤针锋相对"
    assert (note.series.name, note.note_type.name) == ("热点", "研究简报")
    assert note.summary.startswith("在拜登政府上台后")
    assert note.source_url.startswith("https://www.yunbaogao.cn/")
    assert note.import_key
    sections = list(note.sections.order_by("position"))
    assert [s.heading for s in sections] == [
        "",
        "一、中美对话开场硬碰硬",
        "二、会晤前的中美角力",
        "三、本次会晤贵在“对话”本身",
    ]
    assert [len(s.body.split("\n\n")) for s in sections] == [1, 7, 4, 3]
    assert "<p>" in sections[1].body_html
    author = note.authorships.get().author
    assert (author.name, author.title, author.affiliation) == (
        "马鑫",
        "特约研究员",
        "第一财经研究院",
    )
    assert f"/admin/notes/note/{note.pk}/change/" in out
    assert "导入 1，更新 0，失败 0" in out


@pytest.mark.django_db
def test_reimporting_the_same_file_updates_the_draft():
    run(ZH, "--create-taxonomy")
    note = Note.objects.get()
    note.sections.update(body="被编辑过")
    out, _ = run(ZH, "--create-taxonomy")
    assert Note.objects.count() == 1
    note.refresh_from_db()
    assert note.version == 2
    assert note.sections.count() == 4
    assert not note.sections.filter(body="被编辑过").exists()
    assert Author.objects.count() == 2 and Series.objects.count() == 1
    assert "已更新" in out and "导入 0，更新 1，失败 0" in out


@pytest.mark.django_db
def test_a_note_that_is_no_longer_a_draft_is_not_overwritten():
    run(ZH)
    Note.objects.update(status=Note.Status.PUBLISHED, published_at=timezone.now(), title="已改")
    _, err, error = run_failing(ZH)
    assert "已不是草稿" in err and "不会被覆盖" in err
    assert error.returncode == 1
    assert Note.objects.get().title == "已改"


@pytest.mark.django_db
def test_existing_authors_series_and_types_are_matched_by_name():
    series = SeriesFactory(name="trade watch", slug="trade")
    note_type = NoteTypeFactory(name="研究简报", name_en="Research Note", slug="note")
    jane = AuthorFactory(name="Jane Doe", title="Fellow", affiliation="Example Institute")
    AuthorFactory(name="John Roe", title="Other", affiliation="Elsewhere")
    john = AuthorFactory(name="John Roe", title="Fellow", affiliation="Example Institute")

    run(EN)
    note = Note.objects.get()
    assert note.series == series and note.note_type == note_type
    assert [a.author for a in note.ordered_authorships()] == [jane, john]
    assert Author.objects.count() == 3 and NoteType.objects.count() == 1
    # The brief credits them differently from their profiles: kept on the byline.
    assert note.ordered_authorships()[0].byline == "Senior Fellows, Example Institute"
    assert note.language == "en"


@pytest.mark.django_db
def test_series_option_and_publish_at():
    series = SeriesFactory(slug="macro")
    run(ZH, "--series", "macro", "--publish-at", "2021-03-19T08:00+08:00")
    note = Note.objects.get()
    assert note.series == series
    assert note.status == Note.Status.DRAFT
    assert note.published_at.isoformat() == "2021-03-19T00:00:00+00:00"
    assert not Series.objects.filter(name="宏观").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--publish-at", "next tuesday"], "不是有效的 ISO 时间"),
        (["--publish-at", "2021-13-45T99:00"], "不是有效的 ISO 时间"),
        (["--series", "nowhere"], "没有网址名为"),
    ],
)
def test_bad_options_are_clear_errors(args, message):
    with pytest.raises(CommandError, match=message):
        run(ZH, *args)
    assert not Note.objects.exists()


@pytest.mark.django_db
def test_bad_files_fail_alone(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    untitled = tmp_path / "untitled.txt"
    untitled.write_text("一段没有标题的文字。它直接以句号结尾，没有小标题。\n", encoding="utf-8")

    out, err, error = run_failing(empty, ZH, binary, untitled, tmp_path / "missing.pdf")
    assert error.returncode == 1
    assert Note.objects.count() == 1
    assert "empty.txt: 失败：文件是空的" in err
    assert "photo.txt: 失败：这不是文本文件" in err
    assert "untitled.txt: 失败：找不到标题" in err
    assert "missing.pdf: 失败：无法读取文件" in err
    assert "导入 1，更新 0，失败 4" in out
    assert "file/s" in capsys.readouterr().err  # progress bar for several files


@pytest.mark.django_db
def test_no_progress_bar_for_one_file(capsys):
    run(ZH)
    assert "file/s" not in capsys.readouterr().err


@pytest.mark.django_db
def test_a_failing_write_leaves_nothing_half_saved(monkeypatch):
    original = Section.objects.create
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 6:  # in the second file, after its note and first section
            raise IntegrityError("simulated failure")
        return original(**kwargs)

    monkeypatch.setattr(Section.objects, "create", flaky)
    _, err, _ = run_failing(ZH, EN)
    assert "plain_en.txt: 失败：写入数据库出错" in err
    assert list(Note.objects.values_list("title", flat=True)) == ["老旧小区改造如何撬动居民消费"]
    assert Section.objects.count() == 4
    assert not Author.objects.filter(name="Jane Doe").exists()


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    out, _ = run(ZH, "--dry-run")
    assert "将创建《老旧小区改造如何撬动居民消费》" in out
    assert "段落=1/3/5/2" in out
    assert not Note.objects.exists() and not Author.objects.exists()


@pytest.mark.django_db
def test_keywords_become_topics_matched_by_name():
    from notes.models import Topic

    existing = Topic.objects.create(name="新能源汽车", slug="xny")
    run(BRIEFS / "indented_zh.txt")
    note = Note.objects.get()
    assert set(note.tags.all()) == {existing, Topic.objects.get(name="出口")}
    assert Topic.objects.count() == 2
