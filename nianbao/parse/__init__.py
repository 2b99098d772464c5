"""Parse a report's text into a Report record (FORMAT.md).

Entry points: `parse_file(path)` reads any supported file; `parse_text(text, ...)` parses text already
decoded. Both return a validated `Report`; data problems are in `report.problems`, and only input that
holds no recognisable report raises `InputError`.
"""

from .api import parse_document, parse_file, parse_lines, parse_text

__all__ = ["parse_document", "parse_file", "parse_lines", "parse_text"]
