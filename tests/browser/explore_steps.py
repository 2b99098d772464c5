"""Steps the explorer's browser tests share: wait for a view, change it and wait, read its table."""

from __future__ import annotations

# The table as text: one list per body row (what a reader sees).
TABLE_JS = """() => Array.from(document.querySelectorAll('.nb-x-result > .nb-scroll table.nb-x-table tbody tr'))
  .map(r => Array.from(r.children).map(c => c.textContent.trim()))"""


def ready(page, previous: str | None = None) -> None:
    """Wait until the explorer has drawn the view the URL names (a different one from `previous`)."""
    page.wait_for_function(
        "prev => { const p = document.querySelector('.nb-explore'); return p && p.dataset.nbReady"
        " && p.dataset.nbView === location.search && location.search !== prev; }", arg=previous)


def change(page, action) -> None:
    """Do `action` (a click) and wait for the view it makes."""
    before = page.evaluate("location.search")
    action()
    ready(page, before)


def open_empty(page, url: str):
    """Open the explorer at `url` and, by clicking, take away the default view's agencies, years and
    measures; return its form."""
    page.goto(url)
    ready(page)
    form = page.locator(".nb-x-controls")
    while page.locator(".nb-x-remove").count():
        change(page, lambda: page.locator(".nb-x-remove").first.click())
    checked = form.locator("input[name=y]:checked, input[name=m]:checked")
    while checked.count():
        change(page, checked.first.uncheck)
    return form
