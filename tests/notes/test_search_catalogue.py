"""The in-memory catalogue's array operations (no database)."""

import numpy as np

from notes.search.catalogue import Catalogue, _csr


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
        *topics, *authors, {}, {},
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
        1, 0.0, ids, np.zeros(64, dtype=np.int64), np.full(64, 2021),
        *_csr(topic_lists), *_csr([[] for _ in range(64)]), {}, {},
    )  # fmt: skip
    for size in (1, 3, 7, 8, 9, 30, 64):  # below and above one eighth of the notes
        positions = rng.choice(64, size=size, replace=False)
        expected = {}
        for p in positions:
            for topic in topic_lists[p]:
                expected[topic] = expected.get(topic, 0) + 1
        assert c.topic_counts(positions) == expected, size
        assert c.author_counts(positions) == {}
