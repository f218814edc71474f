"""Paragraph links that survive edits.

Every top-level block of a section's Markdown (a paragraph, a list, a quote, a
table, a sub-heading) has a stable id, stored with the section beside the text
(``Section.paragraph_ids``, one per block, in order). When a section is saved,
the new blocks are matched against the old ones and keep their ids:

- unchanged blocks keep theirs, wherever other blocks were inserted or deleted;
- a block edited lightly keeps its id when it is the closest match, among the
  blocks in the same changed stretch, at ``SIMILAR`` or more (characters
  compared, so Chinese is measured like English);
- a block moved within the section keeps its id when its text is unchanged;
- anything else is new and gets a new id.

The id of a block that is gone is kept in ``Section.retired_paragraph_ids``, so
a link to it still lands on its section, where the page says it was removed.
The paragraphs of a note's summary (plain text) have ids the same way, kept on
the note.
"""

import difflib
import secrets
from dataclasses import dataclass

#: How alike an edited block and its old text must be to keep the old id (0–1).
SIMILAR = 0.5


@dataclass
class Block:
    """A top-level block: its tokens (to render it) and its source text (to match it)."""

    tokens: list
    source: str

    @property
    def linkable(self) -> bool:
        """A thematic break or the footnotes (moved to the end) get no id."""
        return self.tokens[0].type not in ("hr", "footnote_block_open")


def split_blocks(tokens, lines) -> list[Block]:
    """Group markdown-it ``tokens`` into top-level blocks; ``lines`` is the source."""
    blocks, depth, current = [], 0, []
    for token in tokens:
        current.append(token)
        depth += token.nesting
        if depth == 0:
            start, end = current[0].map or (0, 0)
            blocks.append(Block(current, "\n".join(lines[start:end])))
            current = []
    return blocks


def plain_paragraphs(text: str) -> list[str]:
    """The paragraphs of plain text (a note's summary): separated by blank lines."""
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _key(text: str) -> str:
    return " ".join(text.split())


def new_id(taken) -> str:
    while True:
        candidate = f"p-{secrets.token_hex(4)}"
        if candidate not in taken:
            return candidate


def carry_over(old_texts, old_ids, new_texts, retired=()):
    """Ids for ``new_texts``, and the ids retired, given the old blocks and their ids.

    ``old_texts`` and ``old_ids`` are aligned; when they are not (a section saved
    before ids existed), every block gets a new id.
    """
    if len(old_texts) != len(old_ids):
        old_texts, old_ids = [], []
    old = [_key(text) for text in old_texts]
    new = [_key(text) for text in new_texts]
    ids = [None] * len(new)
    used = set()

    def take(i, j):
        ids[j] = old_ids[i]
        used.add(i)

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                take(i1 + k, j1 + k)
        elif tag == "replace":
            for i, j in _similar_pairs(old, new, range(i1, i2), range(j1, j2)):
                take(i, j)
    # A block moved elsewhere in the section, unchanged.
    left = {}
    for i, text in enumerate(old):
        if i not in used:
            left.setdefault(text, []).append(i)
    for j, text in enumerate(new):
        if ids[j] is None and left.get(text):
            take(left[text].pop(0), j)

    taken = set(old_ids) | set(retired)
    for j in range(len(new)):
        if ids[j] is None:
            ids[j] = new_id(taken)
            taken.add(ids[j])
    current = set(ids)
    gone = [old_ids[i] for i in range(len(old)) if i not in used]
    retired = list(dict.fromkeys(r for r in [*retired, *gone] if r not in current))
    return ids, retired


def _similar_pairs(old, new, old_range, new_range):
    """Pairs (old index, new index) alike enough, best first, each block used once."""
    scored = []
    for i in old_range:
        for j in new_range:
            matcher = difflib.SequenceMatcher(None, old[i], new[j], autojunk=False)
            # Cheap upper bounds first: most pairs in a long stretch are far apart.
            if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
                continue
            ratio = matcher.ratio()
            if ratio >= SIMILAR:
                scored.append((ratio, -abs((i - old_range.start) - (j - new_range.start)), i, j))
    scored.sort(reverse=True)
    seen_old, seen_new = set(), set()
    for _ratio, _distance, i, j in scored:
        if i not in seen_old and j not in seen_new:
            seen_old.add(i)
            seen_new.add(j)
            yield i, j
