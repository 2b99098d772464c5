"""Who published the report: the evidence the document gives, and what it decides.

Evidence, strongest first: what the user says (`flag`); the file's own title properties (an HTML page's
`ArticleTitle` meta tag and `<title>`, DOCX and PDF titles, a Markdown file's front matter title); the
report's title; the signature (落款) above the date; the file's source properties (`ContentSource`,
author, company) when they hold a whole agency name; the body. Names that can be the same agency (`平桥区民政局` and `信阳市平桥区民政局`; a place
and its government, `平潭综合实验区` and `平潭综合实验区管委会`; `民政局` in a title and `平桥区民政局` in the
body) agree, and the most complete one is kept. Anything else disagrees: then the report is
`agency-uncertain` and its candidates are listed; nothing is picked. The body alone decides only when it
names one agency and nothing else (a department's body names its parent organ: uncertain). Which
registered agency a name belongs to is ingest's business, not the parser's.
"""

from __future__ import annotations

import re
from collections import Counter

from ..model import Evidence, Problem
from ..names import BODY, PLACE, canonical, has_place, same_agency
from .text import Doc

__all__ = ["BODY", "PLACE", "agency_from_title", "body_evidence", "decide", "property_evidence", "same_agency"]
_ORGAN = re.compile(rf"([\u4e00-\u9fff]{{0,12}}?){BODY}(?:办公室|办公厅)?")
# Characters of a sentence, not of an organ's name (`平潭综合实验区切实落实国务院办…` names no organ).
_NOT_ORGAN = re.compile(r"^(?:政府信息|政务|[和与及并或])|领导|分管|[的了着在对向以为将把被坚持切落推进加强做好施围绕完成编联系汇据按照真各是于及等年月日共]")
_FULL_NAME = re.compile(rf"(?:中国[(（][\u4e00-\u9fff]{{2,4}}[)）])?{PLACE}[\u4e00-\u9fff（）()]{{0,16}}?{BODY}")
# A place's government named without its place: 管委会, 区政府, 县人民政府 (after a place it is part of a name).
_BARE_GOVERNMENT = re.compile(r"(?<![省国州党])([区县市])?(人民政府|(?<=[区县市])政府(?!信息|网站|门户|公报|采购)|管委会)(办公室|办公厅)?")
# What follows a place's building or a phrase, not an organ (`…片区管委会大楼`, `…中心工作`).
_NOT_AFTER_ORGAN = re.compile(r"大楼|楼|号|层|路|街|工作")
_ZONE_PREFIX = re.compile(r"中国\([\u4e00-\u9fff]{2,4}\)$")
_SELF = re.compile(r"(?:我|本)(局|委|办|厅|区|县|市)(?![法域场级内外])")  # not 本办法, 本区域
# 《…》 titles name other agencies' documents (folded to <…>); an unclosed one ends at the next comma.
_QUOTED = re.compile(r"<[^<>,;。]{0,120}(?:>|(?=[,;。]))")

TITLE_PROPERTIES = ("meta:ArticleTitle", "html-title", "docx-title", "pdf-title", "md-title")
SOURCE_PROPERTIES = ("meta:ContentSource", "meta:Author", "docx-company", "docx-author", "pdf-author")
_DECISIVE = (*TITLE_PROPERTIES, "title", "signature")
# Verbs and particles a place word can start with in a sentence (`依托实验区政府网站`, `在平潭综合实验区…`).
_LEAD = re.compile(r"(?:依托|围绕|紧紧|完善|修订|配合|会同|联合|督促|指导|推动|推进|通过|针对|按照|根据|依据|对照|"
                   r"经过|协调|组织|召开|参加|报送|全面|积极|认真|汇总|关于|落实|加强|深化|服务|支持|助力|打造|建设)+")
_LEAD_CHARS = "为在由对经向据是将以按从被把给请使及与和等至并或"
# Never in a place's name: particles, and words of a sentence or a document's title.
_NOT_PLACE = re.compile(r"[的了着在对向以为将把被是及等年月日可请与并]|和[市区县]|全[省市区县]$|政府|办公|关于|印发|通知|公开|工作|信息|报告")
# A kind of zone, not a place's name (`实验区` for 平潭综合实验区): a body naming only this names no agency.
_GENERIC_PLACE = re.compile(r"[综合经济技术高新开发实验试验示范保税自贸合作产业工业旅游度假新]{1,8}区")
_KEPT = 5  # evidence items a record keeps
_EXCLUDED_STARTS = ("我", "全", "本", "各", "该", "省", "市", "区", "县")


# Reading names -------------------------------------------------------------------------------------


def agency_from_title(title: str | None) -> str | None:
    """The agency a title names: `平湖市民政局2021年…` or `2021年度平湖市民政局政府信息公开…`; None if none."""
    if not title:
        return None
    squeezed = re.sub(r"\s+", "", title)
    m = re.match(r"^(.*?)(?:关于)?(\d{4})年度?(?:的)?(.*?)政府信息公开", squeezed)
    if not m:
        return None
    before, after = m.group(1), m.group(3)
    name = before or after  # `平湖市民政局2021年…` or `2021年度平湖市民政局政府信息公开…`
    name = re.sub(r"关于$", "", name).strip("《》“”\"'()（）:：#*")
    name = re.sub(r"^[^\u4e00-\u9fff（(]+", "", name)  # `Microsoft Word - `, a file's number
    if name and (len(name) <= 2 or name[0] in "全我本各该" or not re.search(rf"{BODY}$|{PLACE}$", name)):
        return None
    return name or None


def page_title_name(value: str) -> str | None:
    """A page title's first part (`…年度报告_政府信息公开年报_<site>`) names the agency, as a title does."""
    return agency_from_title(re.split(r"[_|｜]| - | — ", value)[0])


def whole_name(value: str) -> str | None:
    """A property that is one whole agency name (place and body), else None (a person, `管委会办公室`)."""
    value = re.sub(r"\s+", "", value)
    return value if len(value) <= 40 and _FULL_NAME.fullmatch(value) else None


# The evidence --------------------------------------------------------------------------------------


def property_evidence(properties: dict[str, str]) -> list[Evidence]:
    out = []
    for key in TITLE_PROPERTIES:
        read = page_title_name if key == "html-title" else agency_from_title
        name = read(properties[key]) if key in properties else None
        if name:
            out.append(Evidence(source=key, name=name, text=properties[key]))
    for key in SOURCE_PROPERTIES:
        name = whole_name(properties[key]) if key in properties else None
        if name:
            out.append(Evidence(source=key, name=name, text=properties[key]))
    return out


def body_evidence(doc: Doc, start: int = 0, end: int | None = None, limit: int = 20000) -> list[Evidence]:
    """The agencies the body (text offsets start to end) names, most named first: whole names (a place
    then a body) whose place the text names more than once, the main place itself (its government), and
    its government named without the place (`管委会`, `区政府`). Names inside 《…》 are other documents'
    and are skipped."""
    lo = doc.sq_pos(start)
    hi = min(doc.sq_pos(end) if end is not None else len(doc.sq), lo + limit)
    sq = "\0" * lo + _QUOTED.sub(lambda m: "\0" * len(m.group(0)), doc.sq[lo:hi])
    places = _real_places(sq)
    if not places:
        return []
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    covered: set[int] = set()

    def seen(name: str, pos: int) -> None:
        counts[name] += 1
        first.setdefault(name, pos)

    main = max(places, key=lambda p: (places[p] * len(p), p))
    for m in re.finditer(PLACE, sq):
        place = _longest_real(m.group(0), places)
        if place is None:
            continue
        start = m.end() - len(place)
        place = main if main.endswith(place) else place  # 实验区 for 平潭综合实验区: the body abbreviates
        organ = _ORGAN.match(sq, m.end())
        if organ and not _NOT_ORGAN.search(organ.group(1)) and not _NOT_AFTER_ORGAN.match(sq, organ.end()):
            zone = _ZONE_PREFIX.search(sq, max(0, start - 8), start)  # 中国（福建）自由贸易试验区…
            seen((zone.group(0).replace("(", "（").replace(")", "）") if zone else "") + place + organ.group(0), start)
            covered.update(range(start, organ.end()))
        elif place == main:
            seen(main, start)
            covered.update(range(start, m.end()))
    for m in _BARE_GOVERNMENT.finditer(sq):
        prefix, body, office = m.groups()
        if m.start() in covered or (prefix and not canonical(main).endswith(prefix)):
            continue
        seen(main + ("管委会" if body == "管委会" else "人民政府") + (office or ""), m.start())
    out = []
    for name, _n in sorted(counts.items(), key=lambda kv: (-kv[1], first[kv[0]])):
        span = doc.span(first[name], first[name] + 1)
        out.append(Evidence(source="body", name=name, text=_around(doc, span.start), line=doc.line_of(span.start)))
    return out


def _real_places(sq: str) -> Counter[str]:
    """Places the text names: every tail of three characters or more of a place word (less a verb before
    it, `依托实验区` → `实验区`) that occurs twice or more, and whole place words ending in such a tail
    (`修订完善平潭综合实验区` → `平潭综合实验区`). Not `我区`, `全市`."""
    tails: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for m in re.finditer(PLACE, sq):
        word = _strip_lead(m.group(0))
        words[word] += 1
        for k in range(len(word) - 2):
            tails[word[k:]] += 1
    real = Counter({p: n for p, n in tails.items() if n >= 2})
    for word, n in words.items():
        tail = next((k for k in range(1, len(word) - 2) if word[k:] in real), None)
        # A longer word the text names once is a place only when what repeats is a bare tail (实验区), not
        # a name of four or more (利用平潭综合实验区 is 平潭综合实验区 after a verb).
        if tail is not None and len(word) - tail < 4 and not _NOT_PLACE.search(word[:tail]):
            real[word] = max(real[word], n)
    return Counter({p: n for p, n in real.items() if not p.startswith(_EXCLUDED_STARTS) and not _NOT_PLACE.search(p)})


def _strip_lead(word: str) -> str:
    """A place word less the verbs and particles the pattern took in before it."""
    while True:
        m = _LEAD.match(word)
        if m and len(word) - m.end() >= 3:
            word = word[m.end():]
        elif word[0] in _LEAD_CHARS and len(word) >= 5:
            word = word[1:]
        else:
            return word


def _longest_real(word: str, places: Counter[str]) -> str | None:
    word = _strip_lead(word)
    for k in range(len(word) - 2):
        if word[k:] in places:
            return word[k:]
    return None


def _around(doc: Doc, offset: int) -> str:
    line = doc.lines[doc.line_of(offset) - 1]
    start = offset - doc._line_starts[doc.line_of(offset) - 1]
    return line[max(0, start - 20): start + 40].strip()


def needs_body(evidence: list[Evidence], selves: set[str] = frozenset()) -> bool:
    """Whether the body has a say: no title names the agency (a signature alone is weighed against the
    body), no title's name has its place (`民政局`, completed from the body), or a government's title heads
    a text that calls itself a department (我局). After a flag, the body is read only when nothing else
    names the agency."""
    stated = [e for e in evidence if e.source != "flag"]
    if evidence and evidence[0].source == "flag":
        return not stated
    titled = [e.name for e in stated if e.source in (*TITLE_PROPERTIES, "title")]
    return (not titled or not any(has_place(name) for name in titled)
            or any(_is_government(n) and _not_self(n, selves) and selves <= set("局委办厅") for n in titled))


def self_references(doc: Doc, limit: int = 20000) -> set[str]:
    """How the report calls its author (我局 → 局, 我区 → 区)."""
    return set(_SELF.findall(doc.sq[:limit]))


# The decision --------------------------------------------------------------------------------------


def decide(evidence: list[Evidence], selves: set[str] = frozenset()) -> tuple[str | None, list[Evidence], Problem | None]:
    """(name, evidence kept in the record, agency-uncertain problem or None). The name is None when nothing
    names the agency; when uncertain it is the first candidate, and the problem lists them all. The record
    keeps the evidence for the name (strongest first); after a flag, or when uncertain, the strongest
    evidence of each name the document gives."""
    if not evidence:
        return None, [], None
    if evidence[0].source == "flag":
        return evidence[0].name, [evidence[0], *_firsts(_groups(evidence[1:]))], None
    decisive = [e for e in evidence if e.source in _DECISIVE]
    titles = [e.name for e in decisive if e.source != "signature"]
    # A government's report signed by its office (沭阳县人民政府, signed 沭阳县人民政府办公室): the office
    # compiles it for the government, so the signature does not contradict the title.
    decisive = [e for e in decisive if not (e.source == "signature" and _signs_for(e.name, titles))]
    sources = [e for e in evidence if e.source in SOURCE_PROPERTIES]
    body = [e for e in evidence if e.source == "body"]
    for tier in (decisive, sources):
        if tier:
            groups = _groups(tier)
            if len(groups) > 1:
                return _uncertain(groups, "互相矛盾")
            name, completed_by = _complete(_most_complete(groups[0]), body)
            if not has_place(name):  # 民政局 and a body that names several (or no) 民政局
                return _uncertain(_groups(tier + [e for e in body if e.name.endswith(name)]), "名称没有地名")
            if _not_self(name, selves) and (all(e.source in ("signature", *SOURCE_PROPERTIES) for e in tier)
                                            or (_is_government(name) and selves <= set("局委办厅"))):
                # No title and a signature the body contradicts; or a government's title over a body that
                # speaks as a department only (我局): a department's report under its government's title.
                return _uncertain(_by_kind(_groups(tier + body), selves), f"正文自称“我{'、'.join(sorted(selves))}”，与{tier[0].source}不符")
            kept = [e for e in evidence if e.source != "body" and same_agency(e.name, name)]
            return name, (kept + completed_by)[:_KEPT], None
    # The agencies the body names, those of the kind it calls itself (我局: a 局) first, then the most named.
    groups = _by_kind(_groups(body), selves)
    name = _most_complete(groups[0])
    if len(groups) > 1:
        return _uncertain(groups, "报告没有标题和落款，正文提到不止一个机关")
    if _GENERIC_PLACE.fullmatch(canonical(name)):
        return _uncertain(groups, f"报告没有标题和落款，正文只用通称“{name}”，没有完整名称")
    if _not_self(name, selves):
        return _uncertain(groups, f"报告没有标题和落款，正文自称“我{'、'.join(sorted(selves))}”，与正文中的机关不符")
    return name, groups[0][:_KEPT], None


def _by_kind(groups: list[list[Evidence]], selves: set[str]) -> list[list[Evidence]]:
    return sorted(groups, key=lambda g: _not_self(_most_complete(g), selves))


def _not_self(name: str, selves: set[str]) -> bool:
    """The report calls itself something (我局) and the name is not of that kind."""
    return bool(selves) and not any(_kind_matches(name, s) for s in selves)


def _signs_for(signature: str, titles: list[str]) -> bool:
    m = re.fullmatch(r"(.+?)(?:办公室|办公厅)", canonical(signature))
    return m is not None and _is_government(m.group(1)) and any(canonical(t) == canonical(m.group(1)) for t in titles)


def _is_government(name: str) -> bool:
    """A place, or its 人民政府 / 管委会."""
    return re.fullmatch(rf"(?:{PLACE})+", canonical(name)) is not None


def _firsts(groups: list[list[Evidence]]) -> list[Evidence]:
    return [g[0] for g in groups][:_KEPT]


def _groups(evidence: list[Evidence]) -> list[list[Evidence]]:
    groups: list[list[Evidence]] = []
    for e in evidence:
        for g in groups:
            if all(same_agency(e.name, other.name) for other in g):
                g.append(e)
                break
        else:
            groups.append([e])
    return groups


def _most_complete(group: list[Evidence]) -> str:
    return max((e.name for e in group), key=lambda n: (len(canonical(n)), len(n)))


def _complete(name: str, body: list[Evidence]) -> tuple[str, list[Evidence]]:
    """A title name without its place (`民政局`) takes the place the body gives it, when only one fits
    (with the body's evidence for it)."""
    if has_place(name):
        return name, []
    fits = [e for e in body if e.name.endswith(name) and e.name != name]
    return (fits[0].name, fits[:1]) if len({e.name for e in fits}) == 1 else (name, [])


def _kind_matches(name: str, self_word: str) -> bool:
    if self_word in "区县市":
        return canonical(name).endswith(self_word)
    return name.endswith(self_word) or (self_word == "委" and name.endswith(("委员会", "管委会")))


def _uncertain(groups: list[list[Evidence]], why: str) -> tuple[str, list[Evidence], Problem]:
    names = [_most_complete(g) for g in groups][:_KEPT]
    said = "；".join(f"{n}（{'、'.join(dict.fromkeys(e.source for e in g))}）" for n, g in zip(names, groups, strict=False))
    problem = Problem(code="agency-uncertain", severity="error", text="、".join(names),
                      message=f"无法确定发布机关（{why}）：{said}。请用 --agency-name 指定")
    kept = [g[0].model_copy(update={"name": n}) for n, g in zip(names, groups, strict=False)]
    return names[0], kept, problem
