"""Table 四 cut by a page break in plain pdftotext text (parse/split_headings.py): a figure under the rest
of its heading is that heading's cell; whole headings above figures, or no page break, prove nothing."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao import template as T
from nianbao.parse.blocks import group_cells
from nianbao.parse.split_headings import read_split
from nianbao.parse.text import Doc

NAMES = ("行政复议", "行政诉讼\n未经复议直接起诉", "复议后起诉")


def _page(groups: list[tuple[int, ...]], labelled: list[bool], rng: random.Random, cut: bool = True) -> str:
    """Table 四 as pdftotext writes it across a page break: the group names with the first characters of
    their headings, then on the next page each labelled cell as the rest of its heading over its figure
    (in any order), an unlabelled group as its five figures after its headings' rests."""
    first, second = ["四、政府信息公开行政复议、行政诉讼情况"], []
    for name, cells, has_labels in zip(NAMES, groups, labelled, strict=True):
        first.append(name)
        cuts = {c: rng.randint(1, len(label) - 1) if cut else 0 for c, label in T.APPEAL_COLUMN_LABELS.items()}
        first += [ch for c, label in T.APPEAL_COLUMN_LABELS.items() for ch in label[:cuts[c]]]
        first.append("")
        order = list(range(5))
        rng.shuffle(order)
        if has_labels:
            for i in order:
                column = T.APPEAL_COLUMNS[i]
                second += [*T.APPEAL_COLUMN_LABELS[column][cuts[column]:], str(cells[i]), ""]
        else:
            second += [ch for c, label in T.APPEAL_COLUMN_LABELS.items() for ch in label[cuts[c]:]]
            second += [line for i in order for line in (str(cells[i]), "")]
    return "\n".join(first) + "\n—5—\n\f" + "\n".join(second) + "\n五、存在的主要问题及改进情况"


def _group(rng: random.Random) -> tuple[int, ...]:
    results = [rng.choice([0, 0, 1, 3, 27]) for _ in range(4)]
    return (*results, sum(results))


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_labelled_figures_give_their_cells(seed: int):
    rng = random.Random(seed)
    groups = [_group(rng) for _ in range(3)]
    labelled = [rng.random() < 0.7 for _ in range(3)]
    labelled[rng.randrange(3)] = True
    text = _page(groups, labelled, rng)
    got = read_split(Doc(text.split("\n")), 0, len(text))
    if any(not a and not b for a, b in zip(labelled, labelled[1:], strict=False)):
        assert got is None  # two unlabelled groups in a row: one run of ten figures, no groups
        return
    assert got is not None
    data, _, read = got
    assert read == {g for g, has in zip(T.APPEAL_GROUPS, labelled, strict=True) if has}
    for g, cells, has_labels in zip(T.APPEAL_GROUPS, groups, labelled, strict=True):
        want = cells if has_labels else group_cells(list(cells))
        assert tuple(data[g][c] for c in T.APPEAL_COLUMNS) == want


def test_whole_headings_or_no_page_break_prove_nothing():
    rng = random.Random(3)
    groups = [(1, 0, 2, 0, 3), (12, 0, 0, 0, 12), (0, 0, 0, 0, 0)]
    # Whole headings right above figures (平潭 2021's shape): pdftotext writes headings before figures.
    text = _page(groups, [True] * 3, rng, cut=False)
    assert read_split(Doc(text.split("\n")), 0, len(text)) is None
    text = _page(groups, [True] * 3, rng).replace("\f", "")
    assert read_split(Doc(text.split("\n")), 0, len(text)) is None
