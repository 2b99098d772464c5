"""Word's automatic numbering as printed text: the `一、` of a heading or the `1.` of a row label.

A paragraph numbered by Word (w:numPr on the paragraph or on its style) holds no number in its text; Word
computes it from numbering.xml. Reports use this for section headings (一、总体情况) and table row labels, so
the number is rebuilt here: a counter per list level, lvlText with %1…%9 filled in each level's format.
"""

from __future__ import annotations

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DIGITS = "零一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"


def _chinese(n: int, digits: str = _DIGITS, ten: str = "十") -> str:
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + ten + (digits[ones] if ones else "")


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographDigital", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _LEGAL, "拾")
    if fmt in ("ideographTraditional", "ideographZodiac") and 0 < n <= 10:
        return _STEMS[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt in ("upperLetter", "lowerLetter") and 0 < n <= 26:
        letter = chr(ord("A") + n - 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 0 < n < 40:
        roman = "X" * (n // 10) + ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"][n % 10]
        return roman if fmt == "upperRoman" else roman.lower()
    return str(n)


def _val(el, name: str = "val") -> str | None:
    return el.get(f"{_W}{name}") if el is not None else None


class Numbering:
    """The labels of one document's numbered paragraphs, in document order."""

    def __init__(self, numbering_xml, styles_xml) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstract id → ilvl → (fmt, text, start)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstract id, start overrides)
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}  # id → (numId, ilvl, basedOn)
        self.counters: dict[str, list[int | None]] = {}
        if numbering_xml is not None:
            self._read_numbering(numbering_xml)
        if styles_xml is not None:
            for style in styles_xml.iterfind(f"{_W}style"):
                num_pr = style.find(f"{_W}pPr/{_W}numPr")
                self.styles[_val(style, "styleId") or ""] = (
                    _val(num_pr.find(f"{_W}numId")) if num_pr is not None else None,
                    _val(num_pr.find(f"{_W}ilvl")) if num_pr is not None else None,
                    _val(style.find(f"{_W}basedOn")),
                )

    def _read_numbering(self, root) -> None:
        for abstract in root.iterfind(f"{_W}abstractNum"):
            levels = {}
            for lvl in abstract.iterfind(f"{_W}lvl"):
                start = _val(lvl.find(f"{_W}start"))
                levels[int(_val(lvl, "ilvl") or 0)] = (
                    _val(lvl.find(f"{_W}numFmt")) or "decimal",
                    _val(lvl.find(f"{_W}lvlText")) or "",
                    int(start) if start and start.isdigit() else 1,
                )
            self.levels[_val(abstract, "abstractNumId") or ""] = levels
        for num in root.iterfind(f"{_W}num"):
            overrides = {}
            for override in num.iterfind(f"{_W}lvlOverride"):
                start = _val(override.find(f"{_W}startOverride"))
                if start and start.isdigit():
                    overrides[int(_val(override, "ilvl") or 0)] = int(start)
            self.nums[_val(num, "numId") or ""] = (_val(num.find(f"{_W}abstractNumId")) or "", overrides)

    def _num_pr(self, p) -> tuple[str | None, int]:
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        num_id = _val(num_pr.find(f"{_W}numId")) if num_pr is not None else None
        ilvl = _val(num_pr.find(f"{_W}ilvl")) if num_pr is not None else None
        style = _val(p.find(f"{_W}pPr/{_W}pStyle"))
        for _ in range(10):  # the style chain, for what the paragraph does not say itself
            if style is None or (num_id is not None and ilvl is not None):
                break
            s_num, s_lvl, style = self.styles.get(style, (None, None, None))
            num_id, ilvl = num_id or s_num, ilvl or s_lvl
        return num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0

    def label(self, p) -> str:
        """The number Word prints before paragraph p ('' when it has none), counting it."""
        num_id, ilvl = self._num_pr(p)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract, [None] * 10)
        start = overrides.get(ilvl, levels[ilvl][2])
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = None
        fmt, text, _ = levels[ilvl]
        if fmt in ("bullet", "none"):
            return ""
        for k in range(ilvl + 1):
            value = counters[k] if counters[k] is not None else overrides.get(k, levels.get(k, ("", "", 1))[2])
            text = text.replace(f"%{k + 1}", format_number(value, levels.get(k, ("decimal", "", 1))[0]))
        return text
