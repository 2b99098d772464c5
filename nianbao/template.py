"""The national template (FORMAT.md): every table's rows and columns, their record keys and Chinese labels.

Both the parser (to find labels) and the renderer (to print them) read from here, so the record keys
and the template's wording live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

TEMPLATES = ("2019", "2021")

SECTION_TITLES = {
    1: "总体情况",
    2: "主动公开政府信息情况",
    3: "收到和处理政府信息公开申请情况",
    4: "政府信息公开行政复议、行政诉讼情况",
    5: "存在的主要问题及改进情况",
    6: "其他需要报告的事项",
}


@dataclass(frozen=True)
class ProactiveRow:
    key: str
    label: str
    item: str  # 第二十条第（X）项
    columns: tuple[str, ...]
    decimal: tuple[str, ...] = ()  # columns holding amounts (money), not counts


PROACTIVE_COLUMN_LABELS: dict[str, str] = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量",
    "amount_10k_yuan": "本年收费金额（单位：万元）",
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "previous_items": "上一年项目数量",
    "change": "本年增/减",
    "projects": "采购项目数量",
    "amount_yuan": "采购总金额",
}

# 2019 uses 处理决定数量 for the same column the 2021 template calls 本年处理决定数量.
PROACTIVE_COLUMN_LABELS_2019 = {**PROACTIVE_COLUMN_LABELS, "decisions": "处理决定数量"}

PROACTIVE_ROWS: dict[str, tuple[ProactiveRow, ...]] = {
    "2021": (
        ProactiveRow("rules", "规章", "第二十条第（一）项", ("issued", "repealed", "in_force")),
        ProactiveRow("normative_documents", "行政规范性文件", "第二十条第（一）项", ("issued", "repealed", "in_force")),
        ProactiveRow("licensing", "行政许可", "第二十条第（五）项", ("decisions",)),
        ProactiveRow("penalty", "行政处罚", "第二十条第（六）项", ("decisions",)),
        ProactiveRow("coercion", "行政强制", "第二十条第（六）项", ("decisions",)),
        ProactiveRow("fees", "行政事业性收费", "第二十条第（八）项", ("amount_10k_yuan",), ("amount_10k_yuan",)),
    ),
    "2019": (
        ProactiveRow("rules", "规章", "第二十条第（一）项", ("made", "published", "total_published")),
        ProactiveRow("normative_documents", "规范性文件", "第二十条第（一）项", ("made", "published", "total_published")),
        ProactiveRow("licensing", "行政许可", "第二十条第（五）项", ("previous_items", "change", "decisions")),
        ProactiveRow(
            "other_services", "其他对外管理服务事项", "第二十条第（五）项", ("previous_items", "change", "decisions")
        ),
        ProactiveRow("penalty", "行政处罚", "第二十条第（六）项", ("previous_items", "change", "decisions")),
        ProactiveRow("coercion", "行政强制", "第二十条第（六）项", ("previous_items", "change", "decisions")),
        ProactiveRow("fees", "行政事业性收费", "第二十条第（八）项", ("previous_items", "change")),
        ProactiveRow("procurement", "政府集中采购", "第二十条第（九）项", ("projects", "amount_yuan"), ("amount_yuan",)),
    ),
}

# Table 三 ------------------------------------------------------------------------------------------

APPLICANT_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial",
    "research",
    "nonprofit",
    "legal_services",
    "other",
    "total",
)
APPLICANT_LABELS: dict[str, str] = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "nonprofit": "社会公益组织",
    "legal_services": "法律服务机构",
    "other": "其他",
    "total": "总计",
}
APPLICANT_GROUP_LABEL = "法人或其他组织"


@dataclass(frozen=True)
class RequestRow:
    key: str
    label: str  # the row's own label, as the template prints it
    group: str = ""  # the merged cell the row sits under: (三) 不予公开 etc.
    result: bool = False  # one of the 本年度办理结果 rows that add up to (七) 总计


_RESULT_GROUP = "三、本年度办理结果"
_REFUSED = "（三）不予公开"
_UNAVAILABLE = "（四）无法提供"
_NOT_HANDLED = "（五）不予处理"
_OTHER = "（六）其他处理"

_REQUEST_HEAD = (
    RequestRow("new_received", "一、本年新收政府信息公开申请数量"),
    RequestRow("carried_over", "二、上年结转政府信息公开申请数量"),
    RequestRow("granted", "（一）予以公开", _RESULT_GROUP, True),
    RequestRow("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", _RESULT_GROUP, True),
    RequestRow("refused_state_secret", "1.属于国家秘密", _REFUSED, True),
    RequestRow("refused_prohibited", "2.其他法律行政法规禁止公开", _REFUSED, True),
    RequestRow("refused_security", "3.危及“三安全一稳定”", _REFUSED, True),
    RequestRow("refused_third_party", "4.保护第三方合法权益", _REFUSED, True),
    RequestRow("refused_internal", "5.属于三类内部事务信息", _REFUSED, True),
    RequestRow("refused_process", "6.属于四类过程性信息", _REFUSED, True),
    RequestRow("refused_enforcement_file", "7.属于行政执法案卷", _REFUSED, True),
    RequestRow("refused_query", "8.属于行政查询事项", _REFUSED, True),
    RequestRow("unavailable_not_held", "1.本机关不掌握相关政府信息", _UNAVAILABLE, True),
    RequestRow("unavailable_needs_creation", "2.没有现成信息需要另行制作", _UNAVAILABLE, True),
    RequestRow("unavailable_unclear", "3.补正后申请内容仍不明确", _UNAVAILABLE, True),
    RequestRow("not_handled_complaint", "1.信访举报投诉类申请", _NOT_HANDLED, True),
    RequestRow("not_handled_repeat", "2.重复申请", _NOT_HANDLED, True),
    RequestRow("not_handled_publication", "3.要求提供公开出版物", _NOT_HANDLED, True),
    RequestRow("not_handled_excessive", "4.无正当理由大量反复申请", _NOT_HANDLED, True),
    RequestRow("not_handled_confirmation", "5.要求行政机关确认或重新出具已获取信息", _NOT_HANDLED, True),
)
_REQUEST_TAIL = (
    RequestRow("total_handled", "（七）总计", _RESULT_GROUP),
    RequestRow("carried_forward", "四、结转下年度继续办理"),
)

REQUEST_ROWS: dict[str, tuple[RequestRow, ...]] = {
    "2019": _REQUEST_HEAD + (RequestRow("other_handling", "（六）其他处理", _RESULT_GROUP, True),) + _REQUEST_TAIL,
    "2021": _REQUEST_HEAD
    + (
        RequestRow(
            "other_no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            _OTHER,
            True,
        ),
        RequestRow(
            "other_unpaid_fee",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            _OTHER,
            True,
        ),
        RequestRow("other_other", "3.其他", _OTHER, True),
    )
    + _REQUEST_TAIL,
}

# Table 四 ------------------------------------------------------------------------------------------

APPEAL_GROUPS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
APPEAL_GROUP_LABELS: dict[str, str] = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_review": "行政诉讼（复议后起诉）",
}
APPEAL_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
APPEAL_COLUMN_LABELS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}

TABLE_LABELS = {
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
}


def template_for_year(year: int | None) -> str | None:
    """The template a report on `year` should follow (FORMAT.md), or None before 2019."""
    if year is None or year < 2019:
        return None
    return "2019" if year <= 2020 else "2021"


def request_row_keys(template: str) -> tuple[str, ...]:
    return tuple(r.key for r in REQUEST_ROWS[template])


def result_row_keys(template: str) -> tuple[str, ...]:
    return tuple(r.key for r in REQUEST_ROWS[template] if r.result)
