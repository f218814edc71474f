"""Reading time: Chinese is counted by characters, other scripts by words."""

import re

CJK_CHARS_PER_MINUTE = 400
WORDS_PER_MINUTE = 220

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’-][A-Za-z0-9\u00c0-\u024f]+)*")


def reading_minutes(*texts: str) -> int:
    """Minutes to read ``texts``, at least one."""
    cjk = words = 0
    for text in texts:
        cjk += len(_CJK.findall(text))
        words += len(_WORD.findall(text))
    minutes = cjk / CJK_CHARS_PER_MINUTE + words / WORDS_PER_MINUTE
    return max(1, round(minutes))
