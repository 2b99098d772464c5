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


# Prose as long as real reports' (nianbao.synth.profile) ---------------------------------------------------------
# Sentences built from parts, so that pages differ in their words as real ones do. None of them states a
# figure the parser's prose patterns read (主动公开…条, 收到…申请…件, 规范性文件…件).

_TOPICS = ("社会救助", "养老服务", "财政预决算", "重大建设项目", "公共资源配置", "食品药品安全", "生态环境保护",
           "安全生产", "义务教育", "医疗卫生", "就业创业", "乡村振兴", "优化营商环境", "征地补偿", "保障性住房",
           "行政执法", "民生实事", "防汛救灾", "殡葬管理", "社会组织管理", "婚姻登记", "残疾人福利", "儿童福利",
           "农村低保", "城市更新", "市场监管", "交通运输", "水利建设", "文化旅游", "退役军人服务")
_DEEDS = ("梳理细化公开事项", "完善公开目录", "规范发布流程", "加强政策解读", "及时回应社会关切", "拓展公开渠道",
          "强化审核把关", "提高更新频率", "推进标准化规范化建设", "加强数据发布", "做好图文解读", "开展专题培训")
_CHANNELS = ("政府门户网站", "政务新媒体", "政务服务大厅", "公开栏", "微信公众号", "新闻发布会", "村（社区）公示栏",
             "政府公报", "档案馆查阅点", "便民服务中心")
_ONE = (
    "{n}.深入推进{topic}领域信息公开。围绕群众关注的{topic}工作，{deed}，依托{channel}及时发布政策文件、办事指南和工作动态，"
    "全年更新相关栏目{k}次，切实做到应公开尽公开。",
    "{n}.加强{topic}政策解读。对涉及{topic}的重要政策，坚持解读材料与政策文件同步起草、同步审签、同步发布，"
    "采取图解、问答、短视频等形式解读{k}次，增强政策的知晓度和透明度。",
    "{n}.规范{channel}管理。按照上级关于{channel}建设的要求，{deed}，落实专人负责内容保障，定期开展自查自纠{k}次，"
    "及时整改错别字、空白栏目和链接失效等问题。",
    "{n}.做好{topic}信息发布。结合{year}年度重点工作，{us}在{channel}开设{topic}专栏，集中发布相关信息，"
    "方便群众查询办理，{deed}，主动接受社会监督。",
    "{n}.健全工作机制。建立主要领导负总责、分管领导具体抓、办公室牵头协调、各科室分工负责的工作机制，"
    "将政务公开工作纳入年度目标考核，开展业务培训{k}期，参训干部职工{m}人次。",
    "{n}.推进基层政务公开标准化规范化。对照{topic}领域基层政务公开标准指引，{deed}，完善公开事项清单，"
    "在{channel}同步更新，推动公开内容覆盖权力运行全流程、政务服务全过程。",
    "{n}.开展政府开放活动。邀请人大代表、政协委员、群众代表{m}人走进{topic}服务窗口，面对面听取意见建议，"
    "现场答复群众关心的问题，增进了解和信任。",
)
_FIVE = (
    "{n}是{topic}领域信息公开的深度和广度还不够，部分信息更新不及时，公开内容与群众需求存在差距。",
    "{n}是政策解读形式较为单一，图解、视频等多样化解读运用不多，解读的针对性和可读性有待提高。",
    "{n}是工作人员业务能力有待提升，对《条例》的理解和把握还不够到位，{channel}日常维护仍需加强。",
    "下一步，{us}将{deed}，重点围绕{topic}工作，进一步规范公开流程，提升公开质量，持续推动政务公开工作走深走实。",
    "{n}是加强学习培训。组织干部职工深入学习《条例》和上级政务公开工作要点，{deed}，提高依法公开的意识和能力。",
    "{n}是完善{channel}建设。加强栏目内容保障，{deed}，确保公开信息准确、及时、完整。",
)
_SIX = (
    "{year}年度，{us}未收取政府信息公开信息处理费。",
    "根据上级关于{topic}领域基层政务公开标准目录编制的有关要求，{us}完成相关目录编制和数据录入工作，"
    "为进一步推进基层政务公开标准化规范化奠定基础。",
    "{us}办理人大代表建议和政协委员提案{k}件次，均已按期办结并在{channel}公开答复全文。",
    "无其他需要报告的事项。",
)
_ORDINALS = "一二三四五六七八九十"


def _sentence(rng: random.Random, pool: tuple[str, ...], ctx: dict, n: int) -> str:
    return rng.choice(pool).format(
        n=n if pool is _ONE else _ORDINALS[(n - 1) % 10], topic=rng.choice(_TOPICS), deed=rng.choice(_DEEDS),
        channel=rng.choice(_CHANNELS), k=rng.randint(2, 60), m=rng.randint(10, 300), **ctx)


def target_chars(rng: random.Random, measured: list[int]) -> int:
    """A section's length: one of the sample reports' lengths, varied by about a fifth either way."""
    return int(rng.choice(measured) * rng.lognormvariate(0, 0.2))


def lengthen(rng: random.Random, paras: list[str], section: int, ctx: dict, target: int) -> list[str]:
    """paras with sentences added (section 1: numbered paragraphs after them; 5: points; 6: notes) until
    their characters reach target; paras unchanged when they already do, but for section 6, which then
    says only 无 (as short as the samples' shortest)."""
    pool = {1: _ONE, 5: _FIVE, 6: _SIX}[section]
    out, have, n = list(paras), sum(len(p) for p in paras), 1
    if section == 6 and target < max(have, 30):  # half the sample reports say (next to) nothing here;
        return ["无。" if target < 10 else "无其他需要报告的事项。"]  # any note of the pool is longer than 30
    while have < target:
        sentence = _sentence(rng, pool, ctx, n)
        out.append(sentence)
        have += len(sentence)
        n += 1
    return out
