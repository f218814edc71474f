"""Authors from a byline.

``马鑫/第一财经研究院特约研究员`` or ``Jane Doe / Senior Fellow, Example Institute``.
"""

import re
from dataclasses import dataclass

from notes.importing.text import width

#: Job titles recognised at the end of a Chinese credit, longest first.
CHINESE_TITLES = sorted(
    [
        "特约研究员",
        "高级研究员",
        "首席研究员",
        "副研究员",
        "助理研究员",
        "研究员",
        "研究助理",
        "研究总监",
        "首席经济学家",
        "经济学家",
        "高级分析师",
        "分析师",
        "副院长",
        "院长",
        "副所长",
        "所长",
        "副主任",
        "主任",
        "副教授",
        "教授",
        "博士后",
        "博士",
        "执行院长",
        "秘书长",
        "合伙人",
    ],
    key=len,
    reverse=True,
)
_INSTITUTION_END = re.compile(
    r"^(.+?(?:研究院|研究所|研究中心|大学|学院|中心|银行|公司|集团|院|所))(.+)$"
)
_PREFIX = re.compile(r"^(?:作者|撰稿|文|By)\s*[:：]?\s*", re.IGNORECASE)
_SLASH = re.compile(r"\s*[/／]\s*")
_NAME_SEPARATORS = re.compile(r"\s*(?:、|,|，|;|；|\band\b|&)\s*")
_CHINESE_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,6}$")
_ENGLISH_NAME = re.compile(r"^[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}$")


@dataclass
class AuthorCredit:
    name: str
    title: str = ""
    affiliation: str = ""

    def as_dict(self):
        return {"name": self.name, "title": self.title, "affiliation": self.affiliation}


def _split_names(text: str) -> list[str] | None:
    names = [n.strip() for n in _NAME_SEPARATORS.split(text) if n.strip()]
    if not names:
        return None
    if all(_CHINESE_NAME.match(n) or _ENGLISH_NAME.match(n) for n in names):
        return names
    return None


def split_credit(credit: str) -> tuple[str, str]:
    """``(title, affiliation)`` from what follows the slash."""
    credit = credit.strip()
    if "," in credit or "，" in credit:  # English: "Senior Fellow, Example Institute"
        title, _, affiliation = re.split(r"([,，])", credit, maxsplit=1)
        return title.strip(), affiliation.strip()
    for title in CHINESE_TITLES:
        if credit.endswith(title) and len(credit) > len(title):
            return title, credit[: -len(title)].strip()
        if credit == title:
            return title, ""
    match = _INSTITUTION_END.match(credit)
    if match:
        return match.group(2).strip(), match.group(1).strip()
    return "", credit


def parse_byline(line: str) -> list[AuthorCredit] | None:
    """The authors named in ``line``, or ``None`` when it is not a byline.

    Several names share one credit (``甲、乙/某研究院研究员``); several credits
    on one line are separated by two or more spaces or by ``；``.
    """
    stripped = line.strip()
    line = _PREFIX.sub("", stripped)
    prefixed = line != stripped
    if not line or width(line) > 160 or line[-1] in "。！？.!?":
        return None
    parts = [p for p in re.split(r"\s{2,}|；|;(?=\s*\S+\s*[/／])", line) if p.strip()]
    credits = []
    for part in parts:
        pieces = _SLASH.split(part.strip(), maxsplit=1)
        names = _split_names(pieces[0])
        if names is None:
            return None
        title, affiliation = split_credit(pieces[1]) if len(pieces) == 2 else ("", "")
        credits.extend(AuthorCredit(n, title, affiliation) for n in names)
    has_slash = any(_SLASH.search(p) for p in parts)
    return credits if credits and (has_slash or prefixed) else None
