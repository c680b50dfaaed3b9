"""A grid's per-cell source index, held whole or block by block.

``Grid.source_index`` (:mod:`wakhan.grid`) says which of a grid's ``sources`` each cell came
from: a uint8 array of the grid's shape, :data:`NO_SOURCE` where no source supplied the cell.
On a very large grid it is a :class:`BlockIndex`, the same values held in square blocks, one
value for a block whose cells all share it. ``from wakhan.grid import BlockIndex, NO_SOURCE``
keeps working.
"""

from __future__ import annotations

import numpy as np

__all__ = ["BlockIndex", "NO_SOURCE"]

#: The value of ``Grid.source_index`` on a cell no source supplied (a cell without data).
NO_SOURCE = 255


class BlockIndex:
    """A uint8 per-cell index held in square blocks: one value for a block whose cells all share it.

    A mosaic's source index (which source each cell came from) is uniform over all but the
    blocks along a source's edge, so on the 538 M-cell 30 m grid it takes a few MB instead of
    513 MiB. Reads give what the full array gives: ``index[rows, cols]`` with integer arrays
    (the route's cells), ``index[r0:r1, c0:c1]`` (a window), and ``numpy.asarray(index)``
    (the whole array; any other key is answered from it).

    Examples
    --------
    >>> a = np.zeros((5, 7), np.uint8)
    >>> a[3:, 5:] = 2
    >>> b = BlockIndex.from_array(a, side=2)
    >>> b.shape, b[np.array([0, 4, 4]), np.array([0, 5, 6])].tolist(), bool((np.asarray(b) == a).all())
    ((5, 7), [0, 2, 2], True)
    >>> b[2:4, 4:7].tolist()
    [[0, 0, 0], [0, 2, 2]]
    """

    dtype = np.dtype(np.uint8)
    ndim = 2

    def __init__(self, shape: tuple[int, int], side: int, blocks: np.ndarray):
        self.shape = (int(shape[0]), int(shape[1]))
        self.side = int(side)
        self.blocks = blocks  # object array, one entry a block: an int (uniform block) or its uint8 array

    @classmethod
    def from_array(cls, array, side: int = 512, lookup: np.ndarray | None = None) -> BlockIndex:
        """The blocks of a 2-D ``array``, mapped through ``lookup`` (a uint8 table) when given."""
        h, w = array.shape
        blocks = np.empty((-(-h // side), -(-w // side)), dtype=object)
        for i in range(blocks.shape[0]):
            for j in range(blocks.shape[1]):
                block = np.asarray(array[i * side : (i + 1) * side, j * side : (j + 1) * side])
                if lookup is not None:
                    block = lookup[block]
                first = block.flat[0]
                blocks[i, j] = int(first) if (block == first).all() else block.astype(np.uint8)
        return cls((h, w), side, blocks)

    @property
    def size(self) -> int:
        return self.shape[0] * self.shape[1]

    def window(self, r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
        """The cells of rows ``r0:r1`` and columns ``c0:c1`` (inside the shape) as a uint8 array."""
        out = np.empty((max(r1 - r0, 0), max(c1 - c0, 0)), dtype=np.uint8)
        s = self.side
        for i in range(r0 // s, -(-r1 // s)):
            for j in range(c0 // s, -(-c1 // s)):
                br0, br1, bc0, bc1 = max(r0, i * s), min(r1, (i + 1) * s), max(c0, j * s), min(c1, (j + 1) * s)
                block = self.blocks[i, j]
                part = block if isinstance(block, int) else block[br0 - i * s : br1 - i * s, bc0 - j * s : bc1 - j * s]
                out[br0 - r0 : br1 - r0, bc0 - c0 : bc1 - c0] = part
        return out

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        full = self.window(0, self.shape[0], 0, self.shape[1])
        return full if dtype is None else full.astype(dtype)

    def astype(self, dtype, copy: bool = True) -> np.ndarray:
        """The whole index as an array of ``dtype`` (what ``numpy.ndarray.astype`` gives)."""
        return np.asarray(self).astype(dtype)

    def __getitem__(self, key):
        if isinstance(key, tuple) and len(key) == 2:
            rows, cols = key
            if all(isinstance(k, slice) and k.step in (None, 1) for k in key):
                (r0, r1, _), (c0, c1, _) = rows.indices(self.shape[0]), cols.indices(self.shape[1])
                return self.window(r0, r1, c0, c1)
            rows, cols = np.asarray(rows), np.asarray(cols)
            if rows.dtype.kind in "iu" and cols.dtype.kind in "iu" and rows.ndim == cols.ndim == 1:
                return self._cells(rows.astype(np.int64), cols.astype(np.int64))
        return np.asarray(self)[key]

    def _cells(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The values at cells ``(rows[k], cols[k])``, negative indices counted from the end as numpy does."""
        h, w = self.shape
        rows, cols = np.where(rows < 0, rows + h, rows), np.where(cols < 0, cols + w, cols)
        if rows.size and (rows.min() < 0 or rows.max() >= h or cols.min() < 0 or cols.max() >= w):
            raise IndexError(f"cell index out of bounds for a BlockIndex of shape {self.shape}")
        out = np.empty(rows.shape, dtype=np.uint8)
        bi, bj = rows // self.side, cols // self.side
        for i, j in set(zip(bi.tolist(), bj.tolist())):
            sel = (bi == i) & (bj == j)
            block = self.blocks[i, j]
            out[sel] = block if isinstance(block, int) else block[rows[sel] - i * self.side, cols[sel] - j * self.side]
        return out
