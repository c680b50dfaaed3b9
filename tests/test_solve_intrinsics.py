"""The kernels' two low-level helpers: a prefetch is only a hint, fixed_tuple reads the first n values."""

from __future__ import annotations

import numpy as np
import pytest
from numba import config, njit

from wakhan.solve import _intrinsics
from wakhan.solve._intrinsics import fixed_tuple, prefetch


@pytest.mark.skipif(config.DISABLE_JIT, reason="NUMBA_DISABLE_JIT: the plain-Python stand-ins are tested below")
def test_prefetch_changes_nothing_and_fixed_tuple_reads_the_first_values():
    @njit  # not cached: compiled here, so the code generators of the intrinsics run in this test
    def probe(a):
        total = 0.0
        for i in range(-2, a.size + 2):  # addresses outside the array are harmless for a prefetch
            prefetch(a, i)
        for i in range(a.size):
            total += a[i]
        t = fixed_tuple(a, 3)
        return total, t[0] + 10.0 * t[1] + 100.0 * t[2]

    assert probe(np.array([1.0, 2.0, 3.0, 4.0])) == (10.0, 321.0)


def test_plain_python_stand_ins():
    assert _intrinsics._fixed_tuple_py(np.arange(5.0), 2) == (0.0, 1.0)
    assert _intrinsics._prefetch_py(np.zeros(3), 7) is None


@pytest.mark.skipif(config.DISABLE_JIT, reason="NUMBA_DISABLE_JIT: the plain-Python stand-in is tested below")
def test_lowest_bit_walks_a_mask_in_increasing_order():
    from wakhan.solve._intrinsics import lowest_bit

    @njit  # not cached: the intrinsic's code generator runs in this test
    def bits(mask):
        out = []
        while mask != 0:
            out.append(lowest_bit(mask))
            mask &= mask - 1
        return out

    masks = [1, 0b1011000, (1 << 31) | 5, (1 << 62) | (1 << 40)]
    for m in masks:  # the set bits of m, lowest first, as Python's own bit arithmetic lists them
        assert list(bits(np.int64(m))) == [i for i in range(63) if m >> i & 1]


def test_lowest_bit_stand_in():
    assert [_intrinsics._lowest_bit_py(m) for m in (1, 2, 12, 1 << 40)] == [0, 1, 2, 40]
