"""Write a synthetic corpus of annual reports (合成数据) to a scratch folder, never into data/.

    python scripts/synth.py --agencies 2000 --years 2019-2023 --out build/bench/corpus
    python scripts/synth.py --samples /tmp/samples        # a few reports per layout, with their truth
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nianbao import paths
from nianbao.synth import LAYOUTS, generate, write_corpus


def _years(text: str) -> tuple[int, ...]:
    if "-" in text:
        first, last = (int(x) for x in text.split("-", 1))
        return tuple(range(first, last + 1))
    return tuple(int(x) for x in text.split(","))


def write_samples(out: Path, per_layout: int, seed: int) -> int:
    """`per_layout` agencies per layout, one report on a `2019`-template year and one on a `2021` one,
    the second agency of each layout damaged; each report beside its truth."""
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for damaged in (False, True):
        for text, truth in generate(len(LAYOUTS) * per_layout, (2020, 2022), seed + damaged,
                                    damage_rate=1.0 if damaged else 0.0, layouts=LAYOUTS):
            stem = f"{truth['layout']}_{truth['template']}_{truth['agency']['id']}_{truth['year']}"
            stem += f"_{truth['damage']}" if truth["damage"] else ""
            (out / f"{stem}.txt").write_text(text, encoding="utf-8")
            (out / f"{stem}.truth.json").write_text(
                json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
            )
            n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--agencies", type=int, default=2000)
    p.add_argument("--years", type=_years, default=(2019, 2020, 2021, 2022, 2023), help="2019-2023 or 2020,2022")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--damage-rate", type=float, default=0.03)
    p.add_argument("--out", type=Path, default=paths.BUILD_BENCH / "corpus")
    p.add_argument("--samples", type=Path, help="write a few samples per layout here instead of a corpus")
    p.add_argument("--per-layout", type=int, default=1)
    args = p.parse_args(argv)
    if args.samples:
        print(f"{write_samples(args.samples, args.per_layout, args.seed)} samples in {args.samples}")
        return 0
    if args.out.resolve().is_relative_to(paths.DATA.resolve()):
        print("synth: a synthetic corpus never goes into data/", file=sys.stderr)
        return 2
    summary = write_corpus(args.out, args.agencies, args.years, args.seed, args.damage_rate)
    print(json.dumps(summary, ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
