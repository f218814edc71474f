"""Frequent tokens in memory: choosing them, packing rows, and answering
from memory exactly what the index answers.

Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from notes.models import Note
from notes.search import catalogue, engine, frequent, plan
from notes.search.index import counts
from notes.search.query import parse
from notes.search.rebuild import rebuild
from tests.factories import NoteFactory, SectionFactory

URL = reverse("notes:search")
NOW = timezone.now()


def test_choose_keeps_the_commonest_tokens(monkeypatch):
    monkeypatch.setattr(frequent, "MIN_NOTES", 4)
    monkeypatch.setattr(frequent, "MIN_SHARE", 0.5)
    monkeypatch.setattr(frequent, "SIZE", 2)
    sets = [{"的", "中美", "稀"}, {"的", "中美"}, {"的", "贝森特"}, {"的", "x"}]
    assert frequent.choose(sets, notes=4) == ["的", "中美"]  # by share, then cut to SIZE
    monkeypatch.setattr(frequent, "SIZE", 10)
    assert frequent.choose(sets, notes=4) == ["的", "中美"]  # 稀 is in one note of four
    assert frequent.choose(sets, notes=3) == []  # too few notes to bother
    assert frequent.choose([], notes=100) == []


def test_pack_sets_one_bit_per_token():
    vocabulary = frequent.Vocabulary(1, tuple(f"t{i}" for i in range(10)))
    assert vocabulary.width == 2
    packed = vocabulary.pack({"t0", "t3", "t9", "other"})
    assert packed == bytes([0b00001001, 0b00000010])
    assert vocabulary.pack(set()) == bytes(2)


@pytest.fixture
def small_vocabularies(monkeypatch):
    """Vocabularies for a handful of notes: any token in a quarter of them."""
    monkeypatch.setattr(frequent, "MIN_NOTES", 1)
    monkeypatch.setattr(frequent, "MIN_SHARE", 0.25)


WORDS = ["中美", "关系", "贸易", "关税", "稀土", "出口", "美元", "汇率", "布林肯", "会晤", "的",
         "policy", "trade", "rates", "贝森特", "钒电池"]  # fmt: skip


def corpus(rng, size=40):
    for i in range(size):
        words = rng.sample(WORDS[:-2], rng.randint(1, 6))
        if i % 13 == 0:
            words.append(rng.choice(WORDS[-2:]))  # rare words
        status = Note.Status.PUBLISHED if i % 7 else Note.Status.DRAFT
        note = NoteFactory(
            slug=f"n{i}",
            title="".join(words[:2]),
            summary="，".join(words[2:4]),
            topics=[rng.choice(["外交", "贸易", "金融"])],
            status=status,
            published_at=NOW - timezone.timedelta(days=i + 1) if status == "published" else None,
        )
        SectionFactory(note=note, position=1, heading="一、", body=" ".join(words[4:]) + "。")


def queries(rng, count):
    for _ in range(count):
        terms = rng.sample(WORDS, rng.randint(1, 3))
        text = " ".join(terms)
        shape = rng.random()
        if shape < 0.2:
            text = f"{terms[0]} OR {rng.choice(WORDS)}"
        elif shape < 0.4:
            text += f" -{rng.choice(WORDS)}"
        elif shape < 0.5:
            text = terms[0][:1]  # one character
        yield text


def outcome(q):
    results = engine.search(parse(q), sort="date")
    pages = [[hit.note.slug for hit in results.hits]]
    return results.total, pages, results.topics, results.years


@pytest.mark.django_db
def test_memory_answers_what_the_index_answers(small_vocabularies, monkeypatch):
    rng = random.Random(7)
    corpus(rng)
    rebuild()
    vocabulary = frequent.current()
    assert vocabulary is not None and "的" in vocabulary.tokens
    assert "贝森特" not in vocabulary.tokens  # rare: stays in the index
    kinds = set()
    for q in queries(rng, 120):
        catalogue.clear()
        held = catalogue.get(catalogue.latest_revision())
        assert held.bits is not None
        chosen = plan.make(parse(q), held.vocabulary)
        kinds.add("index" if chosen.whole else "both" if chosen.lookups else "memory")
        from_memory = outcome(q)
        with monkeypatch.context() as m:
            m.setattr(engine, "make_plan", lambda query, vocabulary: plan.whole(query))
            from_index = outcome(q)
        assert from_memory == from_index, q
    assert kinds == {"index", "both", "memory"}  # every way of answering was tried


@pytest.mark.django_db
def test_plans():
    vocabulary = frequent.Vocabulary(1, ("的", "中美", "关税", "台湾"))

    def shape(q):
        p = plan.make(parse(q), vocabulary)
        if p.whole:
            return "whole"
        return (
            [list(lookup.terms[0].tokens) for lookup in p.lookups],
            p.required,
            [[(part.bits, part.lookup) for part in clause] for clause in p.alternatives],
            [(part.bits, part.lookup) for part in p.excluded],
        )

    assert shape("的") == ([], (0,), [], [])
    assert shape("中美 贝森特 钒电") == ([["贝森特", "钒电"]], (1,), [], [])
    assert shape("中美 OR 贝森特") == ([["贝森特"]], (), [[((1,), None), ((), 0)]], [])
    assert shape("的 -关税 -布林肯") == ([["布林肯"]], (0,), [], [((2,), None), ((), 0)])
    assert shape("贝森特") == "whole"  # nothing frequent
    assert shape('"federal reserve bank" 中美') == "whole"  # checked against the text
    assert plan.make(parse("中美"), None).whole  # no bitsets


@pytest.mark.django_db
def test_rebuild_chooses_a_vocabulary_and_packs_every_row(small_vocabularies, capsys):
    corpus(random.Random(1), size=12)
    call_command("rebuild_search_index", verbosity=0)
    vocabulary = frequent.current()
    assert vocabulary is not None
    assert "常用词表" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT vocabulary FROM notes_search")
        assert cursor.fetchall() == [(vocabulary.id,)]
    assert counts() == {"indexed": 12, "stale": 0, "repack": 0, "tombstones": 0}
    call_command("rebuild_search_index", check=True)
    assert "索引是最新的" in capsys.readouterr().out


@pytest.mark.django_db
def test_small_index_has_no_vocabulary(monkeypatch):
    monkeypatch.setattr(frequent, "MIN_NOTES", 50)
    corpus(random.Random(2), size=5)
    frequent.store(["的"])
    rebuild()
    assert frequent.current() is None  # the earlier one is dropped too
    assert catalogue.get(catalogue.latest_revision()).bits is None


@pytest.mark.django_db
def test_row_packed_for_a_replaced_vocabulary_is_written_again(
    small_vocabularies, django_capture_on_commit_callbacks, capsys
):
    corpus(random.Random(3), size=8)
    rebuild()
    note = Note.objects.get(slug="n1")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        note.title = "中美贸易"
        note.save()  # packs for the vocabulary it read
        replaced = frequent.store(["中美", "贸易"])  # a rebuild's, meanwhile
    assert counts()["repack"] == 8
    for callback in callbacks:
        callback()  # after the commit: stamped again, and written again
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vocabulary, frequent FROM notes_search WHERE note_id = %s", [note.pk]
        )
        vocabulary, bits = cursor.fetchone()
    assert (vocabulary, bytes(bits)) == (replaced.id, bytes([0b11]))
    assert counts()["repack"] == 7
    call_command("rebuild_search_index", check=True)
    assert "7 行不是按当前的常用词表写入" in capsys.readouterr().out


@pytest.mark.django_db
def test_catalogue_without_one_vocabulary_uses_no_bits(small_vocabularies, client):
    corpus(random.Random(4), size=10)
    rebuild()
    assert catalogue.get(catalogue.latest_revision()).bits is not None
    with connection.cursor() as cursor:  # one row packed for another vocabulary
        cursor.execute("UPDATE notes_search SET vocabulary = 99 WHERE note_id = %s",
                       [Note.objects.published().first().pk])  # fmt: skip
    catalogue.clear()
    assert catalogue.get(catalogue.latest_revision()).bits is None
    holding = Note.objects.published().filter(
        Q(title__contains="的") | Q(summary__contains="的") | Q(sections__body__contains="的")
    )
    assert client.get(URL, {"q": "的"}).context["results"].total == holding.distinct().count()


@pytest.mark.django_db
def test_catalogue_reads_everything_again_for_a_new_vocabulary(small_vocabularies, client):
    corpus(random.Random(5), size=10)
    rebuild()
    first = catalogue.get(catalogue.latest_revision())
    rebuild()  # another vocabulary; every row written again
    assert frequent.current().id == first.vocabulary.id + 1
    client.get(URL, {"q": "中美"})
    now = catalogue.cached()
    assert now.vocabulary.id == first.vocabulary.id + 1 and now.bits is not None
    assert now.loaded_at > first.loaded_at  # read in full, not merged


@pytest.mark.django_db
def test_deleted_note_leaves_a_current_catalogue(small_vocabularies, client):
    corpus(random.Random(6), size=10)
    rebuild()
    results = client.get(URL, {"q": "的"}).context["results"]
    loaded = catalogue.cached().loaded_at
    assert not plan.make(parse("的"), catalogue.cached().vocabulary).lookups  # from memory
    Note.objects.get(pk=results.hits[0].note.pk).delete()
    assert client.get(URL, {"q": "的"}).context["results"].total == results.total - 1
    assert catalogue.cached().loaded_at == loaded  # taken in from the emptied row
    assert counts()["tombstones"] == 1
    rebuild()
    assert counts()["tombstones"] == 0
