"""Plain JSON values: :func:`json_safe` turns numpy numbers, arrays and non-finite floats into what JSON holds.

Every JSON document wakhan writes (``--json`` records, claims.json, a route's GeoJSON and the
summaries its other formats carry) passes through it, so ``json.dumps(..., allow_nan=False)``
never meets a NaN or a numpy scalar.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["json_safe"]


def json_safe(value):
    """A copy that ``json.dumps(..., allow_nan=False)`` accepts.

    NaN and infinities become ``None`` (JSON ``null``), numpy scalars and arrays
    become Python numbers and lists, tuples become lists, keys become strings.

    Examples
    --------
    >>> json_safe({"a": np.float32(1.5), 3: (np.nan, np.int64(4)), "b": np.array([1, 2])})
    {'a': 1.5, '3': [None, 4], 'b': [1, 2]}
    """
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return json_safe(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
