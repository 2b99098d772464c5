"""The record (FORMAT.md) as typed models, both templates; Problem; the JSON Schema export.

Keys are fixed by FORMAT.md. Every cell is `int | None` (or `float | None` for amounts): None means the
source did not give the number (missing is not zero).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    create_model,
    model_validator,
)

from . import template as T

SCHEMA_ID = "nianbao.report/1"

# Where a figure was read (nianbao/parse/spans.py): `line:start-end`, then one per column (`-`: none).
SpanText = Annotated[str, StringConstraints(pattern=r"^\d+:\d+-(?:\d+:)?\d+(?:,(?:\d+:\d+-(?:\d+:)?\d+|-))*$")]
SpanTable = Literal["proactive", "requests", "appeals", "metrics"]

Count = int | None
Amount = float | None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Table 二 ------------------------------------------------------------------------------------------


def _proactive_row_model(name: str, row: T.ProactiveRow, labels: dict[str, str]) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for col in row.columns:
        typ = Amount if col in row.decimal else Count
        fields[col] = (typ, Field(default=None, description=labels[col]))
    return create_model(name, __base__=_Strict, __doc__=f"{row.item} {row.label}", **fields)


def _proactive_model(tpl: str) -> type[BaseModel]:
    labels = T.PROACTIVE_COLUMN_LABELS_2019 if tpl == "2019" else T.PROACTIVE_COLUMN_LABELS
    fields: dict[str, Any] = {}
    for row in T.PROACTIVE_ROWS[tpl]:
        model = _proactive_row_model(f"Proactive{tpl}_{row.key}", row, labels)
        fields[row.key] = (model, Field(default_factory=model, description=row.label))
    return create_model(
        f"Proactive{tpl}", __base__=_Strict, __doc__=f"表二 主动公开政府信息情况（{tpl} 模板）", **fields
    )


Proactive2019 = _proactive_model("2019")
Proactive2021 = _proactive_model("2021")
PROACTIVE_MODELS = {"2019": Proactive2019, "2021": Proactive2021}

# Table 三 ------------------------------------------------------------------------------------------

Applicants = create_model(
    "Applicants",
    __base__=_Strict,
    __doc__="One row of 表三: the six applicant columns and their 总计.",
    **{c: (Count, Field(default=None, description=T.APPLICANT_LABELS[c])) for c in T.APPLICANT_COLUMNS},
)


def _requests_model(tpl: str) -> type[BaseModel]:
    fields = {
        r.key: (Applicants, Field(default_factory=Applicants, description=f"{r.group} {r.label}".strip()))
        for r in T.REQUEST_ROWS[tpl]
    }
    return create_model(
        f"Requests{tpl}", __base__=_Strict, __doc__=f"表三 收到和处理政府信息公开申请情况（{tpl} 模板）", **fields
    )


Requests2019 = _requests_model("2019")
Requests2021 = _requests_model("2021")
REQUEST_MODELS = {"2019": Requests2019, "2021": Requests2021}

# Table 四 ------------------------------------------------------------------------------------------

AppealGroup = create_model(
    "AppealGroup",
    __base__=_Strict,
    __doc__="One group of 表四.",
    **{c: (Count, Field(default=None, description=T.APPEAL_COLUMN_LABELS[c])) for c in T.APPEAL_COLUMNS},
)


class Appeals(_Strict):
    """表四 政府信息公开行政复议、行政诉讼情况."""

    review: AppealGroup = Field(default_factory=AppealGroup, description="行政复议")  # type: ignore[valid-type]
    litigation_direct: AppealGroup = Field(default_factory=AppealGroup, description="行政诉讼 未经复议直接起诉")  # type: ignore[valid-type]
    litigation_after_review: AppealGroup = Field(default_factory=AppealGroup, description="行政诉讼 复议后起诉")  # type: ignore[valid-type]


# The rest of the record ------------------------------------------------------------------------------


class Evidence(_Strict):
    """One place that names the publishing agency: where (`source`), the name it gives, the text as printed."""

    source: str = Field(description=(
        "flag (--agency-name / --agency-id), meta:ArticleTitle, meta:ContentSource (an HTML page's meta tags), "
        "html-title, docx-title, docx-author, docx-company, pdf-title, pdf-author, md-title (a Markdown file's "
        "front matter), title (the report's title), "
        "signature (the name above the date), body, lookalike (ingest read a name OCR damaged by one look-alike "
        "character as the one registered agency or division it can be)"))
    name: str
    text: str = Field(description="The text the name was read from, as printed")
    line: int | None = Field(default=None, description="Line in the source (1-based), for title, signature, body")


class Agency(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="ASCII id, e.g. zhejiang-pinghu-minzheng")
    name: str
    evidence: list[Evidence] = Field(default_factory=list, description=(
        "What names the agency, strongest first: the first decided the name, unless the record has an "
        "agency-uncertain problem (then these are the candidates)"))


def _when(value: Any) -> Any:
    """An ISO 8601 text with a time is a moment (`2025-02-01T08:30:00Z`), never cut to its date."""
    if isinstance(value, str) and len(value.strip()) > 10:
        return dt.datetime.fromisoformat(value.strip())
    return value


# When a file was downloaded: a date (as a user types it), or a moment in UTC (as fetch records it).
Retrieved = Annotated[dt.date | dt.datetime, BeforeValidator(_when)]


class Source(_Strict):
    path: str | None = Field(default=None, description="The raw file, relative to the repository")
    sha256: str | None = None
    encoding: str | None = None
    format: str | None = Field(default=None, description="txt, md, docx, pdf or html")
    original_name: str | None = None
    url: str | None = Field(default=None, description="The address the file was downloaded from")
    page_url: str | None = Field(default=None, description="The page that links to or holds the report, when it is not `url`")
    retrieved: Retrieved | None = Field(default=None, description="When it was downloaded: a date, or ISO 8601 UTC")
    page_meta: dict[str, str] | None = Field(
        default=None, description="The meta tags of the page it was found on (SiteName, ColumnName, ArticleTitle, "
        "PubDate, ContentSource, SiteIDCode), as `nianbao fetch` read them")


class Section(_Strict):
    number: int = Field(ge=1, le=6)
    title: str
    text: str
    line: int | None = Field(default=None, description="Line of the heading in the source (1-based)")


class Metric(_Strict):
    value: int | float
    quote: str = Field(description="The sentence the figure comes from, as printed")
    line: int = Field(description="Line of the sentence in the source (1-based)")


Severity = Literal["error", "warning", "info"]


class Problem(_Strict):
    """What the parser could not read, and the failed checks. `code` is stable kebab-case."""

    code: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    severity: Severity = "warning"
    message: str
    line: int | None = None
    table: str | None = Field(default=None, description="proactive, requests or appeals")
    row: str | None = None
    column: str | None = None
    text: str | None = Field(default=None, description="The source text as printed, where it matters")
    left: float | None = Field(default=None, description="Identity: the side the report states (e.g. 总计)")
    right: float | None = Field(default=None, description="Identity: the side computed from the parts")


class Correction(_Strict):
    """A declared fix of a known error in a source (data/corrections), applied on every parse."""

    path: str = Field(description="Dotted path in the record, e.g. requests.granted.total")
    value: Any = None
    original: Any = None
    reason: str


class Report(_Strict):
    schema_: Literal["nianbao.report/1"] = Field(default=SCHEMA_ID, alias="schema")
    agency: Agency
    year: int | None = Field(default=None, ge=1990, le=2100)
    template: Literal["2019", "2021"] | None = None
    title: str | None = None
    published: dt.date | None = Field(default=None, description="The date under the signature")
    source: Source = Field(default_factory=Source)
    proactive: Proactive2021 | Proactive2019 | None = None  # type: ignore[valid-type]
    requests: Requests2021 | Requests2019 | None = None  # type: ignore[valid-type]
    appeals: Appeals | None = None
    sections: list[Section] = Field(default_factory=list)
    metrics: dict[str, Metric] = Field(default_factory=dict)
    problems: list[Problem] = Field(default_factory=list)
    corrections: list[Correction] = Field(default_factory=list)
    row_lines: dict[str, dict[str, int]] = Field(default_factory=dict, description=(
        "Line in the source (1-based) of each table row read: table → row key (appeals: group) → line"))
    spans: dict[SpanTable, dict[str, SpanText]] = Field(default_factory=dict, description=(
        "Where each figure was read in the normalised text: table → row key (appeals: group) → the row's span, "
        "then one span per template column, comma-separated (`-` where the cell has none of its own); metrics → key → the "
        "figure's span. A span is `line:start-end` or `line:start-line:end` (0-based characters, end excluded)"))

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _tables_follow_template(cls, data: Any) -> Any:
        # Pick the table models from the template, so that a 2019 table is never read as 2021's.
        if isinstance(data, dict):
            tpl = data.get("template")
            if tpl in PROACTIVE_MODELS:
                for key, models in (("proactive", PROACTIVE_MODELS), ("requests", REQUEST_MODELS)):
                    value = data.get(key)
                    if isinstance(value, dict):
                        data = {**data, key: models[tpl].model_validate(value)}
        return data

    @model_validator(mode="after")
    def _check_template(self) -> Report:
        tpl = self.template
        for key, models in (("proactive", PROACTIVE_MODELS), ("requests", REQUEST_MODELS)):
            value = getattr(self, key)
            if value is not None and (tpl is None or not isinstance(value, models[tpl])):
                raise ValueError(f"{key} does not follow template {tpl!r}")
        return self

    # Serialisation ------------------------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-compatible data in the record's fixed key order (dates as ISO strings)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=False)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_data(), ensure_ascii=False, indent=indent)

    @property
    def key(self) -> str:
        return f"{self.agency.id}/{self.year}"


def record_order(report: Report) -> tuple[str, int]:
    """The order records are listed in everywhere (downloads, data version, tables): agency id, then year."""
    return report.agency.id, report.year or 0


def json_schema() -> dict[str, Any]:
    schema = Report.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://nianbao.invalid/schema/report.schema.json"
    schema["title"] = "nianbao report record (政府信息公开工作年度报告)"
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
