"""Prose of a synthetic report: preamble, sections 一, 五, 六, the figures they state, the date line."""

from __future__ import annotations

import datetime as dt
import random

_DIGITS = "〇一二三四五六七八九"
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def chinese_date(d: dt.date) -> str:
    """二〇二二年一月十四日: the year digit by digit, month and day as numbers."""

    def small(n: int) -> str:
        tens, ones = divmod(n, 10)
        return (("" if tens == 1 else _DIGITS[tens]) + "十" if tens else "") + (_DIGITS[ones] if ones else "")

    return "".join(_DIGITS[int(c)] for c in str(d.year)) + f"年{small(d.month)}月{small(d.day)}日"


def date_line(rng: random.Random, d: dt.date) -> str:
    style = rng.random()
    if style < 0.2:
        return chinese_date(d)
    if style < 0.6:
        return f"{d.year} 年 {d.month} 月 {d.day} 日"
    return f"{d.year}年{d.month}月{d.day}日"


def publication_date(rng: random.Random, year: int, department: bool) -> dt.date:
    """On time (条例第四十九条): departments by 31 January, governments by 31 March."""
    last = dt.date(year + 1, 1, 31) if department else dt.date(year + 1, 3, 31)
    return last - dt.timedelta(days=rng.randint(0, 28))


def figure(rng: random.Random, n: int, fullwidth: bool) -> str:
    """A figure as prose prints it: plain, spaced, with a thousands separator, sometimes full-width."""
    text = f"{n:,}" if n >= 1000 and rng.random() < 0.4 else str(n)
    if fullwidth:
        text = text.translate(FULLWIDTH)
    return f" {text} " if rng.random() < 0.3 else text


def we(agency_kind: str, place: str) -> str:
    return f"我{place[-1]}" if agency_kind == "人民政府" else "我局"


_GENERAL = (
    "{year}年，{us}以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，紧紧围绕"
    "{place}政务公开年度重点工作，建立健全工作机制，不断提升政务公开工作实效。",
    "（三）政府信息管理情况。严格落实信息发布“三审”制度，对拟公开的信息逐级审核，确保内容准确、表述规范。"
    "及时清理规范性文件，并将立、改、废等动态调整情况统一发布。",
    "（四）平台建设情况。充分运用政府网站、政务新媒体等平台，加大政务信息主动公开力度，定期更新网站上的工作信息，"
    "对公开指南、目录、年报以及需要主动公开的内容及时进行公开。",
    "（五）监督保障情况。成立以主要负责同志为组长的政务公开工作领导小组，明确各科室的工作责任，并将信息公开工作"
    "列入年度目标考核内容，组织干部职工开展政务公开专题培训{n_training}期。",
    "扎实推进重点领域信息公开，及时公开社会救助、养老服务、财政预决算等群众关注的信息，回应社会关切，"
    "传递权威信息，依法保障人民群众的知情权、参与权、表达权和监督权。",
)
_PROBLEMS = (
    "{year}年，{us}政府信息公开工作虽然取得了一些进步，但对照上级要求还存在一定差距：一是主动公开意识有待进一步增强；"
    "二是重点领域信息公开的深度和广度不够；三是政策解读形式较为单一。",
    "下一步，{us}将进一步加强学习培训，规范公开流程，丰富政策解读形式，持续深化重点领域信息公开，"
    "不断提升政务公开工作质量和水平。",
    "存在问题：政府网站和政务新媒体运维监管仍需强化，政务公开工作队伍稳定性和专业性仍需加强。",
)
_OTHER = (
    "{year}年度，{us}未收取政府信息公开信息处理费。",
    "无其他需要报告的事项。",
    "依据《政府信息公开信息处理费管理办法》，{year}年度{name}没有产生信息公开处理费。",
)


def preamble(rng: random.Random, name: str, year: int) -> list[str]:
    phone = f"0{rng.randint(100, 999)}-{rng.randint(2000000, 8999999)}"
    return [
        f"根据《中华人民共和国政府信息公开条例》规定，现发布《{name}{year}年政府信息公开工作年度报告》。"
        f"本报告中所列数据统计期限为{year}年1月1日至{year}年12月31日。如对本报告有任何疑问，"
        f"请与{name}办公室联系（电话：{phone}）。"
    ]


def section_one(rng: random.Random, ctx: dict, proactive_items: int, received: int, fullwidth: bool) -> list[str]:
    """Section 一, stating the two figures the parser reads from prose (主动公开…条, 收到…申请…件)."""
    n = figure(rng, proactive_items, fullwidth)
    m = figure(rng, received, fullwidth)
    paras = [_GENERAL[0].format(**ctx)]
    paras.append(
        f"（一）主动公开情况。{ctx['year']}年，{ctx['us']}按照“公开为常态、不公开为例外”的要求，通过政府门户网站"
        f"主动公开政府信息{n}条，包含工作动态、通知公告、政策文件、财政信息等内容。"
    )
    paras.append(
        f"（二）依申请公开情况。{ctx['year']}年，{ctx['us']}共收到政府信息公开申请{m}件，均在法定期限内予以答复。"
    )
    k = rng.randint(1, len(_GENERAL) - 1)
    paras += [p.format(**ctx) for p in _GENERAL[1 : 1 + k]]
    return paras


def section_five(rng: random.Random, ctx: dict) -> list[str]:
    return [p.format(**ctx) for p in _PROBLEMS[: rng.randint(1, len(_PROBLEMS))]]


def section_six(rng: random.Random, ctx: dict) -> list[str]:
    return [rng.choice(_OTHER).format(**ctx)]
