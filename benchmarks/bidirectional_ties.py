"""How many different paths one query gives over repeated runs, where many paths tie exactly.

    python benchmarks/bidirectional_ties.py [--runs 50]

Synthetic 300 x 400 grids of 30 m cells (no data files): a constant elevation, and whole-5-m
terraces (a random walk along each row, rounded); the isotropic and the highway model, 16
neighbours, from (20, 30) to (280, 370). Each query is run ``--runs`` times from both ends
(``bidirectional=True``, two threads) and one way (``bidirectional=False``); a deterministic
search gives 1 path and 1 total each time. See ``benchmarks/README.md`` ("One path whatever
the threads' timing").
"""

from __future__ import annotations

import argparse

import numpy as np

from wakhan.cost import HighwayModel, IsotropicModel
from wakhan.solve import least_cost_path


def distinct(z, model, both, runs):
    """``(paths, totals)``: how many different paths and totals ``runs`` runs of one query gave."""
    paths, totals = set(), set()
    for _ in range(runs):
        p = least_cost_path(z, model, (20, 30), (280, 370), neighbours=16, cell_size_m=(30.0, 30.0), bidirectional=both)
        paths.add((p.rows.tobytes(), p.cols.tobytes()))
        totals.add(p.total_cost)
    return len(paths), len(totals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    grids = {
        "flat": np.full((300, 400), 1200.0),
        "terraced": np.round(np.cumsum(rng.normal(0, 0.3, (300, 400)), axis=1) / 5) * 5 + 1200,
    }
    print("| grid | model | search | different paths | different totals |")
    print("|---|---|---|---|---|")
    for name, z in grids.items():
        for model in (IsotropicModel(), HighwayModel()):
            for both, search in ((True, "both ends"), (False, "one-way")):
                paths, totals = distinct(z, model, both, args.runs)
                print(f"| {name} | {type(model).__name__} | {search} | {paths} / {args.runs} | {totals} |")


if __name__ == "__main__":
    main()
