"""Compatibility characters that text layers produce, folded to what was meant.

PDF text layers often name a glyph by a radical or compatibility code point
that looks exactly like the ideograph printed: ⻢鑫 for 马鑫, ⼀ for 一.
Search, names and comparisons then fail although the page reads correctly.

* **CJK Radicals Supplement** (U+2E80–U+2EFF): Unicode gives no decomposition
  for most of them, so the table below is the Equivalent_Unified_Ideograph
  property of the Unicode Character Database (EquivalentUnifiedIdeograph.txt)
  for U+2E81–U+2EF3. U+2E80 has no equivalent and is left alone.
* **Kangxi Radicals** (U+2F00–U+2FD5) and **CJK Compatibility Ideographs**:
  their NFKC forms are the unified ideographs (the same property agrees).
* Full-width Latin letters and digits and Latin ligatures (ﬁ) fold with NFKC.
  Chinese full-width punctuation (，：（）) is kept: NFKC would make it ASCII.
"""

import re
import unicodedata

#: Pairs of (radical, unified ideograph), from EquivalentUnifiedIdeograph.txt.
_SUPPLEMENT = (
    "⺁厂⺂乛⺃乚⺄乙⺅亻⺆冂⺇𠘨⺈刀⺉刂⺊卜⺋㔾⺌小⺍小⺎兀⺏尣⺐尢⺑𡯂⺒巳⺓幺⺔彑"
    "⺕彐⺖忄⺗心⺘扌⺙攵⺛旡⺜日⺝月⺞歺⺟母⺠民⺡氵⺢氺⺣灬⺤爫⺥爫⺦丬⺧牛⺨犭⺩王"
    "⺪𤴔⺫目⺬示⺭礻⺮𥫗⺯糹⺰纟⺱罓⺲罒⺳㓁⺴冗⺵𦉫⺶羊⺷𦍌⺸𦍋⺹耂⺺肀⺻聿⺼肉⺽𦥑"
    "⺾艹⺿艹⻀艹⻁虎⻂衤⻃覀⻄西⻅见⻆角⻇𧢲⻈讠⻉贝⻊𧾷⻋车⻌辶⻍辶⻎辶⻏邑⻐钅⻑長"
    "⻒镸⻓长⻔门⻕𨸏⻖阝⻗雨⻘青⻙韦⻚页⻛风⻜飞⻝食⻞𩙿⻟飠⻠饣⻡𩠐⻢马⻣骨⻤鬼⻥鱼"
    "⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟"
)

RADICALS_SUPPLEMENT = {_SUPPLEMENT[i]: _SUPPLEMENT[i + 1] for i in range(0, len(_SUPPLEMENT), 2)}
KANGXI_RADICALS = {
    chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0x2F00, 0x2FD6)
}
TABLE = str.maketrans({**RADICALS_SUPPLEMENT, **KANGXI_RADICALS})

#: Folded with NFKC: compatibility ideographs, full-width letters and digits, ligatures.
_NFKC = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f\ufb00-\ufb06０-９Ａ-Ｚａ-ｚ]+")


def fold(text: str) -> str:
    """text with radicals, compatibility ideographs, full-width letters and ligatures folded."""
    text = text.translate(TABLE)
    return _NFKC.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text)


#: What briefs are written with: Latin (with accents), general punctuation and symbols,
#: CJK punctuation, unified ideographs (with Extension A), full-width forms.
_COMMON = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u024f\u0370-\u03ff\u0400-\u04ff\u2000-\u206f\u20a0-\u20bf"
    "\u2100-\u218f\u2190-\u21ff\u2200-\u22ff\u2460-\u24ff\u2500-\u257f\u25a0-\u25ff"
    "\u2600-\u26ff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3200-\u32ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ufe30-\ufe4f\uff00-\uffef]"
)


def uncommon_characters(text: str, limit: int = 10) -> list[str]:
    """The distinct characters of text outside the common CJK and Latin set, at most limit.

    After folding these are mostly a text layer's mistakes: private-use glyphs,
    radicals without an equivalent, control characters, U+FFFD.
    """
    found = []
    for ch in _COMMON.sub("", text):
        if ch not in found:
            found.append(ch)
            if len(found) >= limit:
                break
    return found


def describe(characters) -> str:
    """“⺀” U+2E80, “\ue001” U+E001 for a message."""
    return "、".join(
        f"U+{ord(ch):04X}" if unicodedata.category(ch)[0] in "CZ" else f"“{ch}” U+{ord(ch):04X}"
        for ch in characters
    )
