"""The :class:`Settlements` type and :func:`combine`: settlement points with their source and coverage.

This module holds the data type every settlement reader returns; the readers
themselves live in :mod:`wakhan.settlements.gazetteers`, :mod:`~wakhan.settlements.points`
and :mod:`~wakhan.settlements.ghs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from wakhan.errors import InputError
from wakhan.grid import DataSource

__all__ = ["Settlements", "combine"]


@dataclass(frozen=True, eq=False)
class Settlements:
    """Settlement points from one (or several combined) sources.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        WGS84 degrees, float64, same length.
    names : tuple of str
        A name per point ("" when the source has none).
    source : DataSource
        Where the points come from.
    coverage : str
        What the source covers and misses, in one sentence for a report.
    notes : tuple of str
        What the reader dropped and why.
    """

    lon: np.ndarray
    lat: np.ndarray
    names: tuple[str, ...]
    source: DataSource
    coverage: str = ""
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self):
        lon = np.asarray(self.lon, dtype=np.float64).ravel()
        lat = np.asarray(self.lat, dtype=np.float64).ravel()
        names = tuple(str(n) for n in self.names)
        if not (len(lon) == len(lat) == len(names)):
            raise ValueError(f"lon, lat and names differ in length ({len(lon)}, {len(lat)}, {len(names)})")
        object.__setattr__(self, "lon", lon)
        object.__setattr__(self, "lat", lat)
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "notes", tuple(self.notes))

    def __len__(self) -> int:
        return len(self.lon)

    @property
    def name(self) -> str:
        """The source's short name."""
        return self.source.name

    def subset(self, mask) -> Settlements:
        """The points where ``mask`` is True (same source and coverage)."""
        mask = np.asarray(mask, dtype=bool)
        names = tuple(n for n, keep in zip(self.names, mask) if keep)
        return Settlements(self.lon[mask], self.lat[mask], names, self.source, self.coverage, self.notes)

    def within(self, west: float, south: float, east: float, north: float) -> Settlements:
        """The points inside a lon/lat box."""
        return self.subset((self.lon >= west) & (self.lon <= east) & (self.lat >= south) & (self.lat <= north))


def combine(*items: Settlements, name: str | None = None) -> Settlements:
    """One set holding the points of several sources (e.g. WOF for AF/TJ/PK plus GHS for China)."""
    if not items:
        raise InputError("combine() needs at least one settlement set")
    if len(items) == 1:
        return items[0]
    src = DataSource(
        name=name or " + ".join(s.source.name for s in items),
        resolution="; ".join(s.source.resolution for s in items if s.source.resolution),
        licence="; ".join(dict.fromkeys(s.source.licence for s in items if s.source.licence)),
        origin="; ".join(s.source.origin for s in items if s.source.origin),
    )
    return Settlements(
        np.concatenate([s.lon for s in items]),
        np.concatenate([s.lat for s in items]),
        tuple(n for s in items for n in s.names),
        src,
        " ".join(f"{s.source.name}: {s.coverage.rstrip('.')}." for s in items if s.coverage),
        tuple(n for s in items for n in s.notes),
    )
