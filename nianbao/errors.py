"""One exception family. Each error names the file (and the line, when there is one)."""

from __future__ import annotations

from pathlib import Path


class NianbaoError(Exception):
    """A structural failure: the input cannot be used at all. Data problems are Problems, not this."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class InputError(NianbaoError):
    """The file is unreadable: empty, binary, unknown encoding, corrupt, scanned, or not a report."""


class NotAReportError(InputError):
    """The text is readable but is not a 政府信息公开工作年度报告."""


class RegistryError(NianbaoError):
    """data/agencies.yaml or a corrections file does not validate."""


class RecordError(NianbaoError):
    """A record file under data/records does not validate against the model."""
