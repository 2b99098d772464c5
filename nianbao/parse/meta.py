"""The report's title, year, template, the date under the signature and the name signed above it."""

from __future__ import annotations

import datetime as dt
import re

from .agency import BODY, PLACE
from .text import Doc

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = r"[〇零○OＯ一二三四五六七八九十]"

_TITLE = re.compile(r"(\d{4})\s*年\s*度?\s*(?:的)?\s*(?:[\u4e00-\u9fff（）()]{2,30}?\s*)?政府信息公开(?:工作)?\s*(?:年度)?\s*(?:工作)?\s*(?:年度)?\s*报告")
_TITLE_SQ = re.compile(r"(\d{4})年度?(?:的)?政府信息公开(?:工作)?(?:年度)?(?:工作)?(?:年度)?报告")
_PERIOD = re.compile(r"统计(?:期限|时限|时间|期间|范围)[^。]{0,12}?(\d{4})年\s*1\s*月\s*1\s*日")

_DATE = re.compile(
    rf"^\s*((?:\d\s*){{4}}|{_CN_NUM}{{4}})\s*年\s*(\d{{1,2}}|{_CN_NUM}{{1,3}})\s*月\s*(\d{{1,2}}|{_CN_NUM}{{1,3}})\s*日\s*$"
)
_DATE_TAIL = re.compile(
    rf"((?:\d\s*){{4}}|{_CN_NUM}{{4}})\s*年\s*(\d{{1,2}}|{_CN_NUM}{{1,3}})\s*月\s*(\d{{1,2}}|{_CN_NUM}{{1,3}})\s*日\s*$"
)

_PLACE, _BODY = PLACE, BODY


def cn_number(s: str) -> int | None:
    s = s.replace(" ", "")
    if s.isdigit():
        return int(s)
    if not s:
        return None
    if all(ch in _CN_DIGITS for ch in s) and len(s) >= 2 and "十" not in s:
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    # 十, 十四, 二十, 二十一, 三十一
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_DIGITS.get(tens) if tens else 1
        o = _CN_DIGITS.get(ones) if ones else 0
        return None if t is None or o is None else t * 10 + o
    return _CN_DIGITS.get(s)


def find_title(doc: Doc) -> tuple[str | None, int | None, int | None]:
    """(title text, year, line) of the report's title near the top, if there is one.

    A title is `<agency>YYYY年(度)政府信息公开工作年度报告` at the start of a line; the agency may stand
    on the line before, and the title may be broken over two lines.
    """
    for i, line in enumerate(doc.lines[:40]):
        m = _TITLE.search(line)
        if m and _plausible_name(line[: m.start()]):
            title = line[: m.end()].strip(" #*\t")
            before = line[: m.start()].strip(" #*\t")
            if not before:
                prev = _previous_name_line(doc, i)
                if prev:
                    title = f"{prev} {title}"
            return _title_words(title), int(m.group(1)), i + 1
    hit = doc.search(_TITLE_SQ, 0, min(len(doc.text), 2000))
    if hit:
        m, span = hit
        line = doc.line_of(span.start)
        line_start = doc._line_starts[line - 1]
        before = doc.text[line_start: span.start]
        if _plausible_name(before):
            title = re.sub(r"\s+", "", doc.text[line_start: span.end]).strip("#*")
            prev = None if before.strip(" #*\t") else _previous_name_line(doc, line - 1)
            return _title_words(f"{prev} {title}" if prev else title), int(m.group(1)), line
    return None, None, None


def _plausible_name(before: str) -> bool:
    before = re.sub(r"[\s#*]+", "", before)
    before = re.sub(r"关于$", "", before)
    return len(before) <= 30 and not re.search(r"[《》<>“”\"，,。；;：:]|根据|关于|印发|通知", before)


def _previous_name_line(doc: Doc, i: int) -> str | None:
    for j in range(i - 1, max(-1, i - 4), -1):
        prev = doc.lines[j].strip(" #*\t")
        if not prev:
            continue
        if len(prev) <= 30 and _plausible_name(prev) and re.search(rf"{_BODY}$|{_PLACE}$", prev):
            return prev
        return None
    return None


def _title_words(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    return title[:80]


def find_signature(doc: Doc) -> tuple[str | None, int | None]:
    """(name, line) of the agency signing the report: the short line just above the date under the signature."""
    _date, line, _ = find_published(doc)
    if line is None:
        return None, None
    for idx in range(line - 2, max(-1, line - 5), -1):
        prev = doc.lines[idx].strip(" \t*#")
        if not prev:
            continue
        if len(prev) <= 40 and re.fullmatch(rf"(?:中国[（(][\u4e00-\u9fff]{{2,4}}[）)])?{_PLACE}[\u4e00-\u9fff（）()]{{0,16}}?{_BODY}", prev):
            return prev, idx + 1
        return None, None
    return None, None


def find_published(doc: Doc) -> tuple[dt.date | None, int | None, str | None]:
    """The date under the signature: a date alone on one of the last lines (or ending the text)."""
    lines = doc.lines
    seen = 0
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i].strip(" \t*#")
        if not line:
            continue
        seen += 1
        m = _DATE.match(line) or _DATE_NUMERIC.match(line)
        if m:
            return _make_date(m), i + 1, line
        if seen >= 6:
            break
    tail = doc.text.rstrip()[-40:]
    m = _DATE_TAIL.search(tail)
    if m and len(doc.lines) == 1:
        return _make_date(m), len(doc.lines), m.group(0)
    return None, None, None


_DATE_NUMERIC = re.compile(r"^\s*(\d{4})\s*[-./／]\s*(\d{1,2})\s*[-./／]\s*(\d{1,2})\s*$")


def _make_date(m: re.Match[str]) -> dt.date | None:
    y, mo, d = (cn_number(g) for g in m.groups())
    if y is None or mo is None or d is None:
        return None
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def find_year(doc: Doc, title_year: int | None) -> int | None:
    if title_year:
        return title_year
    hit = doc.search(_PERIOD)
    if hit:
        return int(hit[0].group(1))
    m = re.search(r"(?:总体情况|一、)[^。]{0,10}?(\d{4})年", doc.sq[:20000])
    if m:
        return int(m.group(1))
    return None


_MARKERS = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期不补正", "缴纳费用"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量", "其他对外管理服务事项"),
}


def detect_template(doc: Doc, year: int | None) -> str | None:
    if year is not None and year < 2019:
        return None
    scores = {tpl: sum(doc.sq.count(m) > 0 for m in marks) for tpl, marks in _MARKERS.items()}
    if scores["2021"] != scores["2019"]:
        return max(scores, key=lambda k: scores[k])
    if year is None:
        return None
    return "2019" if year <= 2020 else "2021"
