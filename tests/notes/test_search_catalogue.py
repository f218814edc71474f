"""The in-memory catalogue's array operations (no database)."""

import numpy as np

from notes.search.catalogue import Catalogue, _csr
from notes.search.frequent import Vocabulary


def catalogue():
    # id: (stamp, year, topic ids, author ids)
    notes = {
        3: (100, 2020, [7], [1]),
        5: (300, 2021, [7, 8], [2]),
        8: (300, 2021, [], [1, 2]),
        9: (200, 2020, [8], []),
        12: (900, 2022, [7], [1]),  # scheduled: public from 900
    }
    ids = sorted(notes)
    rows = [notes[pk] for pk in ids]
    topics = _csr([r[2] for r in rows])
    authors = _csr([r[3] for r in rows])
    return Catalogue(
        1, 0.0, np.array(ids), np.array([r[0] for r in rows]), np.array([r[1] for r in rows]),
        np.array([1, 1, 2, -1, 1]), np.array([-1] * 5), *topics, *authors, {}, {},
    )  # fmt: skip


def test_positions_keep_public_notes_only_once():
    c = catalogue()
    # 4, 6 and 10 are not in the catalogue (drafts, say); 12 is not public yet.
    positions = c.positions(np.array([10, 9, 4, 3, 6, 12, 5, 1000]), now=500)
    assert sorted(c.ids[positions].tolist()) == [3, 5, 9]
    assert sorted(c.ids[c.positions(np.array([12, 3]), now=900)].tolist()) == [3, 12]
    within = c.positions(np.array([3, 5, 9, 12]), now=900, within=np.array([5, 12, 4, 77]))
    assert sorted(c.ids[within].tolist()) == [5, 12]
    assert c.positions(np.array([], dtype=np.int64), now=500).tolist() == []
    assert c.positions(np.array([1, 2, 99]), now=500).tolist() == []


def test_facets():
    c = catalogue()
    positions = c.positions(np.array([3, 5, 8, 9]), now=500)
    assert c.topic_counts(positions) == {7: 2, 8: 2}
    assert c.author_counts(positions) == {1: 2, 2: 2}
    assert c.year_counts(positions) == [(2021, 2), (2020, 2)]


def test_newest_orders_by_time_then_id_and_slices():
    c = catalogue()
    positions = c.positions(np.array([3, 5, 8, 9, 12]), now=1000)
    assert c.newest(positions, 10) == [12, 8, 5, 9, 3]
    assert c.newest(positions, 2) == [12, 8]
    assert c.newest(positions, 2, 2) == [5, 9]  # the tie at 300 is cut exactly
    assert c.newest(positions, 2, 4) == [3]
    assert c.newest(positions, 0) == []
    assert c.newest(positions[:0], 5) == []


def test_counts_for_few_and_many_notes_agree_with_counting_by_hand():
    rng = np.random.default_rng(7)
    topic_lists = [rng.choice([11, 12, 13, 14], size=rng.integers(0, 4), replace=False).tolist()
                   for _ in range(64)]  # fmt: skip
    ids = np.arange(1, 65)
    c = Catalogue(
        1, 0.0, ids, np.zeros(64, dtype=np.int64), np.full(64, 2021), np.full(64, -1),
        np.full(64, -1), *_csr(topic_lists), *_csr([[] for _ in range(64)]), {}, {},
    )  # fmt: skip
    for size in (1, 3, 7, 8, 9, 30, 64):  # below and above one eighth of the notes
        positions = rng.choice(64, size=size, replace=False)
        expected = {}
        for p in positions:
            for topic in topic_lists[p]:
                expected[topic] = expected.get(topic, 0) + 1
        assert c.topic_counts(positions) == expected, size
        assert c.author_counts(positions) == {}


def test_update_equals_reading_everything_again(monkeypatch):
    from notes.search import catalogue as module

    rng = np.random.default_rng(3)
    vocabulary = Vocabulary(4, tuple("甲乙丙丁戊己庚辛壬癸"))  # two bytes a row

    def row(pk, published=True):
        topics = rng.choice([1, 2, 3, 50], size=rng.integers(0, 3), replace=False).tolist()
        authors = rng.choice([7, 8, 90], size=rng.integers(1, 3), replace=False).tolist()
        held = vocabulary.pack(rng.choice(vocabulary.tokens, size=rng.integers(0, 10)).tolist())
        return (pk, int(rng.integers(0, 10**6)), int(rng.integers(2016, 2027)), topics, authors,
                int(rng.integers(-1, 3)), int(rng.integers(-1, 2)), published, held,
                vocabulary.id)  # fmt: skip

    table = {pk: row(pk) for pk in range(1, 41)}
    monkeypatch.setattr(module.frequent, "current", lambda: vocabulary)
    monkeypatch.setattr(module, "_labels", lambda model, ids: {})
    monkeypatch.setattr(module, "_rows", lambda since=None: list(table.values()))
    before = module.Catalogue.read(1)
    changed = [row(3), row(10, published=False), row(41), row(45), row(20)]
    for r in changed:
        table[r[0]] = r
    monkeypatch.setattr(module, "_rows", lambda since=None: changed if since else [
        r for r in table.values() if r[7]
    ])  # fmt: skip
    updated, fresh = before.updated(2), module.Catalogue.read(2)
    for name in ("ids", "stamps", "years", "series", "types", "topic_pointers",
                 "author_pointers", "bits"):  # fmt: skip
        assert getattr(updated, name).tolist() == getattr(fresh, name).tolist(), name
    for kind in ("topic", "author"):  # the same ids per note; codes may differ
        for c in (updated, fresh):
            assert set(getattr(c, f"{kind}_ids")[getattr(c, f"{kind}_codes")]) <= set(
                getattr(c, f"{kind}_ids")
            )
        assert getattr(updated, f"{kind}_ids")[getattr(updated, f"{kind}_codes")].tolist() == (
            getattr(fresh, f"{kind}_ids")[getattr(fresh, f"{kind}_codes")].tolist()
        )
    positions = np.arange(len(fresh.ids))
    assert updated.topic_counts(positions) == fresh.topic_counts(positions)
    assert updated.author_counts(positions[::3]) == fresh.author_counts(positions[::3])
    assert 10 not in updated.ids.tolist() and 45 in updated.ids.tolist()


def test_filters():
    c = catalogue()
    everything = c.positions(np.array([3, 5, 8, 9, 12]), now=1000)

    def kept(**filters):
        return sorted(c.ids[c.filtered(everything, **filters)].tolist())

    assert kept() == [3, 5, 8, 9, 12]
    assert kept(topics=[7]) == [3, 5, 12]
    assert kept(topics=[7, 8]) == [5]  # every topic
    assert kept(topics=[99]) == []
    assert kept(author=2) == [5, 8]
    assert kept(author=2, topics=[8]) == [5]
    assert kept(series=1) == [3, 5, 12]
    assert kept(year=2021) == [5, 8]
    assert kept(note_type=4) == []
