"""Print a table 三 in the layouts converters produce (FORMAT.md), to test the parser on them.

The frame of the report (title, prose, tables 二 and 四) comes from a real sample; only table 三 is
replaced, so a test can put any numbers in it.
"""

from __future__ import annotations

import random
import re

from nianbao import template as T

from .conftest import SAMPLES

FRAME = SAMPLES / "ningxia-zhongwei-minzheng_2021.txt"

LAYOUTS = ("tabs", "pipes", "cell-per-line", "spaces", "fullwidth", "glued")


def consistent_table(rng: random.Random, tpl: str = "2021", scale: int = 30) -> dict[str, tuple[int, ...]]:
    """A table 三 whose arithmetic holds: row totals, column totals, the balance."""
    results = T.result_row_keys(tpl)

    def row() -> tuple[int, ...]:
        cells = [rng.choice([0, 0, 0, rng.randint(0, scale)]) for _ in range(6)]
        return (*cells, sum(cells))

    table = {k: row() for k in results}
    handled = tuple(sum(table[k][c] for k in results) for c in range(7))
    carried = row()
    forward = tuple(min(h, rng.randint(0, 3)) for h in handled[:6])
    forward = (*forward, sum(forward))
    new = tuple(handled[c] + forward[c] - carried[c] for c in range(7))
    if any(v < 0 for v in new):
        carried = (0,) * 7
        new = tuple(handled[c] + forward[c] for c in range(7))
    return {"new_received": new, "carried_over": carried, **table, "total_handled": handled, "carried_forward": forward}


def _label(row: T.RequestRow) -> str:
    return row.label


def render_table3(values: dict[str, tuple[int, ...]], layout: str, tpl: str = "2021") -> str:
    rows = T.REQUEST_ROWS[tpl]
    head = "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)"
    cols = [T.APPLICANT_LABELS[c] for c in T.APPLICANT_COLUMNS]
    out: list[str] = []
    if layout in ("tabs", "fullwidth", "spaces"):
        sep = "\t" if layout != "spaces" else "  "
        out.append(f"{head}{sep}申请人情况")
        out.append(sep.join(["", "自然人", "法人或其他组织", "", "", "", "", "总计"]))
        out.append(sep.join(["", "", *cols[1:6], ""]))
        for r in rows:
            cells = [str(v) for v in values[r.key]]
            if layout == "fullwidth":
                cells = ["".join(chr(ord(ch) + 0xFEE0) for ch in c) for c in cells]
            lead = [r.group] if r.group and r.group != "三、本年度办理结果" else []
            out.append(sep.join([*lead, _label(r), *cells]))
    elif layout == "pipes":
        out.append("| " + " | ".join([head, *cols]) + " |")
        out.append("|" + "---|" * 8)
        for r in rows:
            out.append("| " + " | ".join([r.group + r.label, *map(str, values[r.key])]) + " |")
    elif layout == "cell-per-line":
        out.append(f"\t{head}\n\t申请人情况\n")
        out.append("\t\n" + "\n".join(f"\t{c[:2]}\n{c[2:]}" if len(c) > 3 else f"\t{c}" for c in cols) + "\n")
        for r in rows:
            block = []
            if r.group:
                block.append(f"\t{r.group}")
            block.append(f"\t{r.label}")
            block.extend(f"\t\u3000{v}" for v in values[r.key])
            out.append("\n".join(block) + "\n")
    elif layout == "glued":
        parts = [head, "申请人情况", *cols]
        for r in rows:
            parts.append(r.label + "".join(str(v) for v in values[r.key]))
        out.append("".join(parts))
    else:
        raise ValueError(layout)
    return "\n".join(out)


def frame_with_table3(table3: str) -> str:
    """The frame sample with its table 三 replaced."""
    text = FRAME.read_text(encoding="utf-8")
    start = text.index("三、收到和处理政府信息公开申请情况")
    start = text.index("\n", start) + 1
    end = text.index("四、政府信息公开行政复议、行政诉讼情况")
    return text[:start] + "\n" + table3 + "\n\n" + text[end:]


def rename_headings(text: str) -> str:
    """Headings as other reports print them."""
    subs = [
        (r"^一、总体情况$", "## 一、政府信息公开工作总体情况"),
        (r"^二、主动公开政府信息情况$", "**二、主动公开政府信息情况**"),
        (r"^三、收到和处理政府信息公开申请情况$", "# 三、 收到和处理政府信息公开申请情况"),
        (r"^四、政府信息公开行政复议、行政诉讼情况$", "四、政府信息公开行政法复议、行政诉讼情况"),
        (r"^五、政府信息公开存在的主要问题及改进情况$", "五、存在的主要问题及改进情况"),
    ]
    for pat, rep in subs:
        text = re.sub(pat, rep, text, flags=re.M)
    return text


def swap_sections_5_6(text: str) -> str:
    five = text.index("五、政府信息公开存在的主要问题")
    six = text.index("六、其他需要报告的事项")
    return text[:five] + text[six:] + "\n" + text[five:six]
