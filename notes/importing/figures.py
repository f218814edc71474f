"""Pictures in imported briefs: kept in place, with the caption printed beside them.

A reader puts a paragraph ``[[图N]]`` where the N-th picture stood (the same
line an editor types to place a figure) and collects the picture's bytes. The
caption is the paragraph right after the picture that starts ``图N`` or
``Figure N`` (or, failing that, right before it); a ``来源：``/``Source:``
paragraph after the caption is its source line. Both are taken out of the text
and given to the figure. A picture without a caption is kept, with a warning.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

#: A picture smaller than this on either side is a logo, a rule or a bullet.
MIN_SIDE = 120
#: At most this many pictures are taken from one brief.
MAX_FIGURES = 30

PLACEHOLDER = re.compile(r"^\[\[图(\d+)\]\]$")
CAPTION = re.compile(r"^\s*(?:图|Figure|Fig\.)\s*(\d{1,3})\s*[:：.、\-—]?\s*(.*)$", re.I | re.S)
SOURCE = re.compile(r"^\s*(?:资料来源|数据来源|来源|Sources?)\s*[:：]\s*(.*)$", re.I | re.S)


@dataclass
class ExtractedFigure:
    data: bytes
    caption: str = ""
    source: str = ""


def placeholder(number: int) -> str:
    return f"[[图{number}]]"


def attach_captions(blocks: list[str], figures: list[ExtractedFigure]) -> tuple[list, list]:
    """``(blocks, warnings)``: captions and sources moved from ``blocks`` to ``figures``."""
    taken = set()
    for index, block in enumerate(blocks):
        match = PLACEHOLDER.match(block)
        if not match:
            continue
        figure = figures[int(match[1]) - 1]
        after = index + 1
        for candidate in (after, index - 1):
            if candidate in taken or not 0 <= candidate < len(blocks):
                continue
            caption = CAPTION.match(blocks[candidate])
            if caption and not PLACEHOLDER.match(blocks[candidate]):
                figure.caption = caption[2].strip()
                taken.add(candidate)
                following = max(candidate, index) + 1  # after the caption and the picture
                if following < len(blocks) and following not in taken:
                    source = SOURCE.match(blocks[following])
                    if source:
                        figure.source = source[1].strip()
                        taken.add(following)
                break
    warnings = [
        _("图%(number)d 旁没有找到图题（以“图%(number)d”开头的一段），导入后请补上。")
        % {"number": number}
        for number, figure in enumerate(figures, start=1)
        if not figure.caption
    ]
    return [block for i, block in enumerate(blocks) if i not in taken], warnings
