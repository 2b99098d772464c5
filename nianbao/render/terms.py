"""What Pagefind indexes about a page beyond its visible text: names, places and template terms as the
browser cuts them, and the page's kind and year.

The browser segments a query with Intl.Segmenter (ICU), Pagefind's indexer with its own dictionary, and
the two disagree: 额济纳旗 comes out of ICU as 额|济|纳|旗, 平潭 as 平|潭 and 行政复议 as 行政|复|议, while
the indexer keeps 平潭 and 复议 whole (and has no word 潭 or 议). Pagefind matches each query piece
against the words that start with it and needs every piece on the page, so such queries found nothing.
A page therefore also carries, in a line readers never see, every run of one or two characters (and for
an agency page, up to four) of its agency's name and places and of the template terms its text uses:
whatever pieces the browser cuts them into are words of the page. The site script (site.js) cuts each
run of Chinese characters of a query into its pairs first (ICU keeps 行政诉讼 whole, the index has
行政|诉讼; ICU cut 清城区民政局 into pieces another name holds), and Pagefind's own ICU cut comes after,
so a pair is the longest piece a query holds. The line is weighted low on report pages, so an agency's
page comes first for its name.
"""

from __future__ import annotations

from ..registry import AgencyEntry
from . import esc
from .regions import short_place

TERMS_WEIGHT = {"agency": 8.0, "report": 0.1}
NGRAM = {"agency": 4, "report": 2}  # tests/browser/test_search_names.py queries agency pages without site.js
# Template terms journalists search for (FORMAT.md: the tables' headings and rows), found as whole phrases.
TEMPLATE_TERMS = ("行政复议", "行政诉讼", "不予公开", "依申请公开", "主动公开")


def _runs(word: str, longest: int) -> list[str]:
    return [word[i:i + n] for n in range(1, longest + 1) for i in range(len(word) - n + 1)]


def search_terms(agency: AgencyEntry, longest: int = NGRAM["agency"]) -> list[str]:
    """The agency's name and places (each also without its suffix: 额济纳旗 → 额济纳), then every run of
    one to `longest` characters of them, each once, in a fixed order."""
    places = [n for n in (agency.county, agency.city, agency.province) if n]
    out = [agency.name, *places, *(short_place(n) for n in places)]
    for word in (agency.name, agency.county, agency.city):  # not the province: shared by too many pages
        if word:
            out.extend(_runs(word, longest))
    return list(dict.fromkeys(w for w in out if w))


def report_terms(agency: AgencyEntry, text: str) -> list[str]:
    """A report page's terms: its agency's (runs of one or two characters), then each template term its
    indexed text uses, with its runs of one or two characters."""
    out = search_terms(agency, NGRAM["report"])
    for term in TEMPLATE_TERMS:
        if term in text:
            out.extend([term, *_runs(term, 2)])
    return list(dict.fromkeys(out))


def search_line(words: list[str], page: str) -> str:
    """The search terms, indexed (weighted by page kind) but not shown: the visible page already says them."""
    line = " ".join(esc(w) for w in words)
    return f'<p class="nb-terms" aria-hidden="true" data-pagefind-weight="{TERMS_WEIGHT[page]}">{line}</p>'


def page_meta(agency: AgencyEntry, place: str, page: str, year: int | None = None) -> str:
    """Pagefind metadata: the summary search results show instead of the terms line, the page's kind and
    year (site.js shows them as each result's tags). Metadata sits in each result's fragment, loaded only
    for the results shown; Pagefind filters (类型, 年度) would add their whole index to every search's
    download (9 KB at 2,000 reports, growing with the site), so there are none."""
    summary = " · ".join(x for x in (agency.name, place, agency.kind) if x)
    out = [f'<span hidden data-pagefind-meta="summary:{esc(summary)}"></span>', f'<span hidden data-pagefind-meta="page:{page}"></span>']
    if year is not None:
        out.append(f'<span hidden data-pagefind-meta="year:{year}"></span>')
    return "".join(out)
