"""More converters journalists use, beyond tests/converters.py: HTML and Markdown out of the sample documents.

Each takes a sample's documents (scripts/make_documents.py: the DOCX, the PDF LibreOffice printed from it,
and the government web page) and writes what the real tool writes, in the format the tool gives it (the
suffix), so nianbao reads it as a user's file of that kind would be read:

- soffice-html: LibreOffice's HTML export of the DOCX (its PDF import is not in libreoffice-writer-nogui);
- pdftohtml: poppler's `pdftohtml -i -noframes -s` of the PDF (text lines with <br/>, no tables);
- markitdown-docx, markitdown-pdf, markitdown-html: Microsoft's markitdown (mammoth + markdownify for DOCX,
  pdfminer for PDF, markdownify for the web page);
- pandoc-gfm: `pandoc -t gfm` of the DOCX (as `pandoc x.docx -o x.md` runs: no -s, so the Title is dropped);
  pandoc-md: `pandoc -s -t markdown` with pipe tables only (YAML front matter holding the title);
  pandoc-strict: `pandoc -t markdown_strict`, which writes tables as raw HTML in the Markdown (with their
  merged cells, as pandoc 3's gfm and OCR tools' Markdown do); pandoc-html: `pandoc -s -t html` of the DOCX;
  pandoc-page: `pandoc -f html -t gfm` of the web page (its site chrome kept as Markdown and <div>s);
- html2text: the web page as the html2text library (crawlers' usual HTML → Markdown) writes it: table rows
  as `cell| cell| cell`, rowspan and colspan ignored;
- crawler-text, crawler-tabs: a web crawler's text of the web page (lxml): every block and cell on its own
  line, or a table row's cells joined by tabs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sources:
    pdf: Path
    docx: Path
    html: Path


@dataclass(frozen=True)
class Converter:
    run: Callable[[Sources], bytes]
    suffix: str  # what the tool's output is saved as
    tool: str | None  # the program it needs on PATH, or the Python module (`py:name`)


def _run(cmd: list[str], timeout: int = 300) -> bytes:
    return subprocess.run(cmd, check=True, capture_output=True, timeout=timeout).stdout


def soffice_html(src: Sources) -> bytes:
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-html-") as work:
        _run([binary, f"-env:UserInstallation=file://{work}/profile", "--headless", "--norestore",
              "--convert-to", "html", "--outdir", work, str(src.docx)])
        return (Path(work) / f"{src.docx.stem}.html").read_bytes()


def pdftohtml(src: Sources) -> bytes:
    return _run(["pdftohtml", "-i", "-noframes", "-s", "-enc", "UTF-8", "-stdout", str(src.pdf)])


# In a process of its own: markitdown's file-type guess (magika) starts onnxruntime's native threads, and a
# process forked from a pytest process holding them (the ingest tests' worker pools fork) can hang on a lock
# one of them held at the fork.
_MARKITDOWN = ("import sys; from markitdown import MarkItDown; "
               "sys.stdout.buffer.write(MarkItDown().convert(sys.argv[1]).markdown.encode('utf-8'))")


def markitdown(kind: str) -> Callable[[Sources], bytes]:
    def run(src: Sources) -> bytes:
        return _run([sys.executable, "-c", _MARKITDOWN, str(getattr(src, kind))])
    return run


def pandoc(*args: str, source: str = "docx") -> Callable[[Sources], bytes]:
    def run(src: Sources) -> bytes:
        return _run(["pandoc", *args, str(getattr(src, source))])
    return run


_CRAWLER_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "li", "tr", "td", "th", "br", "table")


def crawler(tabs: bool) -> Callable[[Sources], bytes]:
    """The page's visible text as a crawler saves it: scripts and styles dropped, a line per block and per
    cell (with `tabs`: a line per table row, its cells joined by tabs), runs of spaces made one."""

    def run(src: Sources) -> bytes:
        import lxml.html

        root = lxml.html.document_fromstring(src.html.read_bytes().decode("utf-8"))
        for el in list(root.iter("script", "style", "head")):
            el.drop_tree()
        if tabs:
            for tr in list(root.iter("tr")):
                tail = tr.tail
                cells = [" ".join(td.text_content().split()) for td in tr if td.tag in ("td", "th")]
                tr.clear()
                tr.text, tr.tail = "\t".join(cells), tail
        for el in root.iter(*_CRAWLER_BLOCKS):
            el.text, el.tail = "\n" + (el.text or ""), "\n" + (el.tail or "")
        lines = ("\t".join(" ".join(cell.split()) for cell in line.split("\t")) for line in root.text_content().split("\n"))
        return "\n".join(line for line in lines if line.strip()).encode("utf-8")
    return run


def html2text(src: Sources) -> bytes:
    import html2text as h2t

    return h2t.html2text(src.html.read_bytes().decode("utf-8")).encode("utf-8")


CONVERTERS: dict[str, Converter] = {
    "soffice-html": Converter(soffice_html, ".html", "soffice"),
    "pdftohtml": Converter(pdftohtml, ".html", "pdftohtml"),
    "markitdown-docx": Converter(markitdown("docx"), ".md", "py:markitdown"),
    "markitdown-pdf": Converter(markitdown("pdf"), ".md", "py:markitdown"),
    "markitdown-html": Converter(markitdown("html"), ".md", "py:markitdown"),
    "pandoc-gfm": Converter(pandoc("-t", "gfm"), ".md", "pandoc"),
    "pandoc-md": Converter(pandoc("-s", "-t", "markdown-grid_tables-simple_tables-multiline_tables"), ".md", "pandoc"),
    "pandoc-strict": Converter(pandoc("-t", "markdown_strict"), ".md", "pandoc"),
    "pandoc-html": Converter(pandoc("-s", "-t", "html"), ".html", "pandoc"),
    "pandoc-page": Converter(pandoc("-f", "html", "-t", "gfm", source="html"), ".md", "pandoc"),
    "html2text": Converter(html2text, ".md", "py:html2text"),
    "crawler-text": Converter(crawler(tabs=False), ".txt", None),
    "crawler-tabs": Converter(crawler(tabs=True), ".txt", None),
}


def missing_tool(name: str) -> str | None:
    """What the converter needs that is not installed, or None."""
    tool = CONVERTERS[name].tool
    if tool is None:
        return None
    if tool.startswith("py:"):
        import importlib.util

        return None if importlib.util.find_spec(tool[3:]) else f"the Python package {tool[3:]}"
    if tool == "soffice":
        return None if shutil.which("soffice") or shutil.which("libreoffice") else "LibreOffice (soffice)"
    return None if shutil.which(tool) else tool


def convert(name: str, documents: Path, stem: str, cache: Path) -> Path:
    """The converter's output of one sample's documents, cached by converter and sample."""
    converter = CONVERTERS[name]
    out = cache / name / f"{stem}{converter.suffix}"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        src = Sources(documents / f"{stem}.pdf", documents / f"{stem}.docx", documents / f"{stem}.html")
        tmp = out.with_name(out.name + ".part")
        tmp.write_bytes(converter.run(src))
        tmp.replace(out)
    return out
