"""The tokenizer, the query parser and the highlighter (no database)."""

import pytest

from search.query import MAX_QUERY_LENGTH, fts5_query, parse, text_checks, tsquery
from search.text import PAIR_JOINER, highlight, normalise, runs, runs_tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中美关系", ["中", "中美", "中美关", "美", "美关", "美关系", "关", "关系", "系"]),
        ("中", ["中"]),
        ("會晤", ["会", "会晤", "晤"]),  # Traditional becomes Simplified
        ("ＧＤＰ增长", ["gdp", "增", "增长", "长"]),  # full-width letters become half-width
        ("The U.S. TARIFF", ["the", "u", "the\ue000u", "s", "u\ue000s", "tariff", "s\ue000tariff"]),
        ("G20峰会", ["g20", "峰", "峰会", "会"]),
        ("a\x00b\x07c", ["a", "b", "a\ue000b", "c", "b\ue000c"]),  # control characters separate
        ("！？…😀", []),
    ],
)
def test_tokens(text, expected):
    assert runs_tokens(runs(normalise(text))) == expected


def test_terms_of_up_to_three_characters_are_one_token():
    """One, two or three characters: one exact index lookup, no text check."""
    for raw in ("中", "中美", "布林肯"):
        (term,) = parse(raw).terms
        assert term.tokens == (raw,)
        assert term.exact
    assert parse("植田和男").terms[0].tokens == ("植田和", "田和男")
    assert text_checks(parse("布林肯")) == []


def test_repeated_trigram_is_still_checked():
    """``哈哈哈哈`` asks the index for ``哈哈哈`` once, and the text for all four."""
    (term,) = parse("哈哈哈哈").terms
    assert term.tokens == ("哈哈哈",)
    assert not term.exact
    assert text_checks(parse("哈哈哈哈")) == [(["哈哈哈哈"], True)]


def test_runs_split_at_punctuation_and_between_scripts():
    runs_of = runs(normalise("New  York—中美，關係"))
    assert runs_of == [("new", False), ("york", False), ("中美", True), ("关系", True)]


@pytest.mark.parametrize(
    ("raw", "clauses", "excluded"),
    [
        ("中美关系 布林肯", [["中美关系"], ["布林肯"]], []),
        ('"New York" OR 纽约 -关税', [["new york", "纽约"]], ["关税"]),
        ("中美 OR", [["中美"]], []),
        ("OR 中美", [["中美"]], []),
        ('"unbalanced 中美', [["unbalanced 中美"]], []),
        ("-中美", [], ["中美"]),
        ("& | ! : * ( )", [], []),
        ("會晤", [["会晤"]], []),
    ],
)
def test_parse(raw, clauses, excluded):
    query = parse(raw)
    assert [[t.text for t in clause] for clause in query.clauses] == clauses
    assert [t.text for t in query.excluded] == excluded


def test_long_query_is_cut():
    query = parse("中" * 10_000)
    assert query.truncated
    assert len(query.raw) == MAX_QUERY_LENGTH


@pytest.mark.parametrize(
    "raw",
    ["'a' & b:* | !c", 'x" OR "y', "NEAR(a b) AND c NOT d", "a\\' OR 1=1 --", "中'美"],
)
def test_database_queries_hold_only_quoted_word_tokens(raw):
    query = parse(raw)
    for token in (token for term in query.terms + query.excluded for token in term.tokens):
        assert token.replace(PAIR_JOINER, "").isalnum()
    if query:
        assert tsquery(query) and fts5_query(query)


def test_cjk_runs_need_no_text_check_but_latin_phrases_do():
    assert text_checks(parse("中美")) == []
    # A longer run is the chain of its trigrams.
    assert text_checks(parse("中美关系")) == []
    assert parse("中美关系").terms[0].tokens == ("中美关", "美关系")
    assert text_checks(parse("G20峰会")) == [([" g20 峰会"], True)]  # mixed scripts
    assert text_checks(parse("us")) == []
    assert text_checks(parse('"federal reserve"')) == []  # one pair token
    assert text_checks(parse('"new york city"')) == [([" new york city "], True)]
    assert parse('"new york city"').terms[0].tokens == ("new\ue000york", "york\ue000city")


def test_highlight_escapes_and_marks():
    html, found = highlight("<script>x</script>會晤在即", ["会晤"])
    assert found
    assert html == "&lt;script&gt;x&lt;/script&gt;<mark>會晤</mark>在即"


def test_highlight_latin_phrase_across_spacing():
    html, _ = highlight("Then the Federal  Reserve moved.", ["federal reserve"])
    assert "<mark>Federal  Reserve</mark>" in html


def test_highlight_without_match_is_an_escaped_excerpt():
    html, found = highlight("a < b" * 100, ["中美"], width=20)
    assert not found
    assert html.startswith("a &lt; b") and html.endswith("…")
