"""wakhan.route.runs.true_runs against an independent oracle: itertools.groupby over the mask."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wakhan.route.runs import true_runs


def _oracle(mask) -> list[tuple[int, int]]:
    """(start, stop) of each group of equal consecutive values that is True, by itertools.groupby."""
    out, i = [], 0
    for value, group in itertools.groupby(bool(v) for v in mask):
        n = sum(1 for _ in group)
        if value:
            out.append((i, i + n))
        i += n
    return out


@pytest.mark.parametrize(
    ("mask", "expected"),
    [
        ([], []),
        ([False], []),
        ([True], [(0, 1)]),
        ([False] * 4, []),
        ([True] * 4, [(0, 4)]),
        ([True, False, False, True], [(0, 1), (3, 4)]),  # a run at each end
        ([True, True, False, True, True, True], [(0, 2), (3, 6)]),
        ([False, True, False, True, False], [(1, 2), (3, 4)]),
    ],
)
def test_hand_cases(mask, expected):
    assert true_runs(mask) == expected
    assert true_runs(np.array(mask, dtype=bool)) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.booleans(), max_size=60))
def test_matches_groupby(mask):
    runs = true_runs(np.array(mask, dtype=bool))
    assert runs == _oracle(mask)
    assert all(isinstance(a, int) and isinstance(b, int) for a, b in runs)


def test_rejects_a_two_dimensional_mask():
    with pytest.raises(ValueError, match="one-dimensional"):
        true_runs(np.zeros((2, 3), dtype=bool))
