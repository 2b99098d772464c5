"""Characters OCR confuses in agency names, and the registered agency or division a damaged name is.

A scanned report read by OCR may print 沐阳县人民政府 for 沭阳县人民政府: a name that is no agency and no
place. Such a name is taken for another only when one look-alike character, swapped, gives exactly one
name that is a registered agency or that the gazetteer places more precisely than the name as printed;
several such names, or none, leave the name as it is (ingest then refuses or registers it as printed,
never under a guess). Pure functions: the caller says what is registered and how well a name is placed.
"""

from __future__ import annotations

from collections.abc import Callable

# Pairs OCR reads one for the other (both ways) in the names of places and agencies.
PAIRS = ("沭沐", "亳毫", "睢雎", "汨汩", "泸沪", "盱盯", "已己", "未末", "祁祈", "邛邙")
_OTHER = {a: b for a, b in PAIRS} | {b: a for a, b in PAIRS}


def one_away(name: str) -> list[str]:
    """Every name with exactly one look-alike character of `name` swapped, in order of position."""
    return [name[:i] + _OTHER[ch] + name[i + 1:] for i, ch in enumerate(name) if ch in _OTHER]


def swapped(printed: str, name: str) -> tuple[str, str] | None:
    """(printed character, the name's character) when the two names differ by one look-alike swap."""
    if len(printed) != len(name):
        return None
    diff = [(a, b) for a, b in zip(printed, name, strict=True) if a != b]
    return diff[0] if len(diff) == 1 and _OTHER.get(diff[0][0]) == diff[0][1] else None


def repair(name: str, registered: Callable[[str], bool], precision: Callable[[str], int]) -> list[str]:
    """The names `name` may be with one look-alike swapped: those registered, or placed more precisely
    than `name` (precision: how many of province, city, county the gazetteer gives). Use the one name
    only when the list holds exactly one."""
    base = precision(name)
    return [n for n in one_away(name) if registered(n) or precision(n) > base]
