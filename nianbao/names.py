"""What a Chinese agency's name looks like, and when two names can be one agency.

Pure functions on strings, shared by the parser (which reads names in a report) and the registry (which
looks them up): nothing here reads a file.
"""

from __future__ import annotations

import re

# An agency: a place, then the body (局, 委员会, 人民政府, 管委会…).
PLACE = r"[\u4e00-\u9fff]{1,12}?(?:省|自治区|市|自治州|州|地区|盟|县|自治县|区|旗|实验区|新区|开发区|镇|街道)"
BODY = r"(?:人民政府办公厅|人民政府办公室|人民政府|管理委员会|管委会|委员会|办公室|局|厅|委|办|中心|院)"
_PLACE_END = r"(?:省|自治区|市|自治州|州|地区|盟|县|自治县|区|旗|实验区|新区|开发区|镇|街道)"
_GOVERNMENT = r"(?:人民政府|管理委员会|管委会)"


def has_place(name: str) -> bool:
    """Whether a name says where its agency is (`平桥区民政局`, `中国（福建）自由贸易试验区…`; not `民政局`)."""
    return re.match(rf"(?:中国[（(][\u4e00-\u9fff]{{2,4}}[）)])?{PLACE}", name) is not None


def canonical(name: str) -> str:
    """The name in one spelling: no spaces, ASCII brackets, 管委会 for 管理委员会, and a place's
    government by its place (`平潭综合实验区管委会` → `平潭综合实验区`, `上海市人民政府` → `上海市`;
    `上海市人民政府办公厅` stays whole)."""
    name = re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")").replace("管理委员会", "管委会")
    m = re.fullmatch(rf"(.*{_PLACE_END}){_GOVERNMENT}", name)
    return m.group(1) if m else name


def same_agency(a: str, b: str) -> bool:
    """Whether two names can be one agency: the same in `canonical` spelling, or one completes the other
    with places before it (`平桥区民政局` and `信阳市平桥区民政局`; `民政局` and `平桥区民政局`)."""
    a, b = canonical(a), canonical(b)
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if not long_.endswith(short):
        return False
    return bool(re.fullmatch(rf"(?:{PLACE})+", long_[: -len(short)]))
