"""What Pagefind indexes about an agency beyond its page's text: its name and places as search terms.

The browser segments a query with Intl.Segmenter (ICU), Pagefind's indexer with its own dictionary: a
rare name comes out of ICU as single characters (额济纳旗 → 额|济|纳|旗) that match no indexed word, and in
an index of several chunks such a query found nothing. Each agency page therefore carries its name and
places also as every run of one to four characters, so whatever pieces the browser cuts a name into are
words of the page (tests/browser/test_search_names.py). Report pages do not: their agency's page comes
first for a name anyway, and every indexed word costs Pagefind memory on every page that holds it.
"""

from __future__ import annotations

from ..registry import AgencyEntry
from . import esc
from .regions import short_place

TERMS_WEIGHT = {"agency": 8.0}
NGRAM = 4


def search_terms(agency: AgencyEntry) -> list[str]:
    """The agency's name and places (each also without its suffix: 额济纳旗 → 额济纳), then every run of
    one to four characters of them, each once, in a fixed order."""
    places = [n for n in (agency.county, agency.city, agency.province) if n]
    out = [agency.name, *places, *(short_place(n) for n in places)]
    for word in (agency.name, agency.county, agency.city):  # not the province: shared by too many pages
        if word:
            out.extend(word[i:i + n] for n in range(1, NGRAM + 1) for i in range(len(word) - n + 1))
    return list(dict.fromkeys(w for w in out if w))


def search_line(agency: AgencyEntry, page: str) -> str:
    """The search terms, indexed (weighted by page kind) but not shown: the visible page already says them."""
    words = " ".join(esc(w) for w in search_terms(agency))
    return f'<p class="nb-terms" aria-hidden="true" data-pagefind-weight="{TERMS_WEIGHT[page]}">{words}</p>'


def page_meta(agency: AgencyEntry, place: str, page: str) -> str:
    """Pagefind metadata: the summary search results show instead of the terms line, the page's kind (site.js)."""
    summary = " · ".join(x for x in (agency.name, place, agency.kind) if x)
    return (f'<span hidden data-pagefind-meta="summary:{esc(summary)}"></span>'
            f'<span hidden data-pagefind-meta="page:{page}"></span>')
