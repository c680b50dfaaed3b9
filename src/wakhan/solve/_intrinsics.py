"""Two low-level helpers of the search kernels, with plain-Python stand-ins under ``NUMBA_DISABLE_JIT``.

* :func:`prefetch` ``(arr, i)``: ask the CPU to start loading ``arr[i]`` into
  cache (LLVM's ``llvm.prefetch``; a hint: results are unchanged). The bucket
  kernel prefetches the neighbourhood of the next cell it will settle, so the
  reads of its costs and elevations wait less for memory.
* :func:`fixed_tuple` ``(arr, n)``: the first ``n`` values of ``arr`` as a
  tuple (Numba's ``to_fixed_tuple``). The kernels pass the cost model's
  parameters into inlined functions as a tuple, because an array argument
  costs two atomic reference-count updates per call in the hot loop.
* :func:`lowest_bit` ``(x)``: the index of the lowest set bit of a non-zero int64 (LLVM's
  ``llvm.cttz``, one instruction). The bucket loop walks a bit mask of the neighbours worth
  pricing with it, instead of one unpredictable branch per neighbour.
* :data:`U`: the unsigned index type the bucket loops index their hot arrays with.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba.core import cgutils, config, types
from numba.extending import intrinsic
from numba.np.unsafe.ndarray import to_fixed_tuple

__all__ = ["prefetch", "fixed_tuple", "lowest_bit", "U"]

#: An unsigned index type: array reads indexed by ``U(i)`` skip Numba's negative-index wrap-around.
U = np.uintp


@intrinsic
def _prefetch(typingctx, arr, i):
    sig = types.void(arr, types.intp)

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [args[1]], wraparound=False)
        i8p = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0i8")
        # read access, keep in all cache levels, data cache; an address outside the array is harmless
        builder.call(fn, [builder.bitcast(ptr, i8p), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def _lowest_bit(typingctx, x):
    sig = types.int64(types.int64)

    def codegen(context, builder, signature, args):
        return builder.cttz(args[0], ir.Constant(ir.IntType(1), 1))  # x = 0 is never asked

    return sig, codegen


def _lowest_bit_py(x: int) -> int:
    """Plain-Python stand-in of ``llvm.cttz``.

    Examples
    --------
    >>> _lowest_bit_py(0b10100)
    2
    """
    return (int(x) & -int(x)).bit_length() - 1


def _prefetch_py(arr, i) -> None:
    """Plain-Python stand-in: nothing to do."""


def _fixed_tuple_py(arr, n: int) -> tuple:
    """Plain-Python stand-in of ``to_fixed_tuple``."""
    return tuple(arr[:n])


_NO_JIT = bool(getattr(config, "DISABLE_JIT", False))  # set from the environment when Numba is imported
prefetch = _prefetch_py if _NO_JIT else _prefetch
fixed_tuple = _fixed_tuple_py if _NO_JIT else to_fixed_tuple
lowest_bit = _lowest_bit_py if _NO_JIT else _lowest_bit
