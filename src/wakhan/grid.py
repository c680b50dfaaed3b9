"""The raster type that travels between stages: an array with its georeferencing.

Every stage of wakhan (sources -> dem -> cost -> solve -> route -> claims) passes
elevation and cost rasters as :class:`Grid` objects, never as loose
``(array, transform)`` tuples, so that a value can always be traced back to a
map position and to the data it came from.

Conventions
-----------
* ``array`` is 2-D, row 0 is the northern edge (a north-up affine transform).
* ``transform`` maps (col, row) of a cell's *outer corner* to map coordinates,
  as in rasterio; cell centres sit at ``col + 0.5, row + 0.5``.
* ``nodata`` is the value that marks missing cells; ``None`` means NaN marks
  them (float arrays) or that there are none.
* ``sources`` names every dataset that contributed, with its native resolution,
  so that any number computed from the grid can say where it came from.
* ``source_index`` (optional, uint8, the array's shape) says which of ``sources``
  each cell came from (:data:`NO_SOURCE` where none): a mosaic of several sources
  keeps it, so a route can say how much of its length lies on each. On a very large
  grid it is a :class:`BlockIndex`, the same values held block by block.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from affine import Affine
from rasterio.crs import CRS

from wakhan.source_index import NO_SOURCE, BlockIndex

__all__ = ["BlockIndex", "DataSource", "Grid", "NO_SOURCE", "USER_FILE_LICENCE"]

#: The licence of a user's own file (a DEM, a table of points), which carries none wakhan can read: said,
#: never left blank in a report or a JSON file.
USER_FILE_LICENCE = "your own file; licence unknown"


@dataclass(frozen=True)
class DataSource:
    """One dataset that contributed to a grid or a result.

    Parameters
    ----------
    name : str
        Short name a reader recognises, e.g. ``"GEBCO_2023 (SRTM15+ v2.5.5)"``.
    resolution : str
        Native resolution in words, e.g. ``'15" (~460 m)'`` or ``'3" (~90 m)'``.
    licence : str
        Licence of the data, e.g. ``"public domain"`` or ``"CC BY 4.0"``.
    origin : str
        Where the bytes came from (package and file, URL, or local path).
    """

    name: str
    resolution: str = ""
    licence: str = ""
    origin: str = ""

    def describe(self) -> str:
        """One line: name, resolution and licence."""
        parts = [self.name]
        if self.resolution:
            parts.append(self.resolution)
        text = ", ".join(parts)
        if self.licence:
            text += f" ({self.licence})"
        return text

    def as_dict(self) -> dict:
        return {"name": self.name, "resolution": self.resolution, "licence": self.licence, "origin": self.origin}


@dataclass(frozen=True, eq=False)
class Grid:
    """A 2-D raster with its affine transform, CRS, nodata value and provenance.

    Parameters
    ----------
    array : numpy.ndarray
        2-D values, row 0 at the north edge.
    transform : affine.Affine
        Pixel-corner transform (rasterio convention).
    crs : rasterio.crs.CRS or str or int
        Coordinate reference system; converted to :class:`rasterio.crs.CRS`.
    nodata : float or None
        Marker of missing cells; ``None`` if NaN (or nothing) marks them.
    sources : tuple of DataSource
        Datasets the values came from.
    notes : tuple of str
        Processing notes a reader should see (e.g. how many voids were filled).
    source_index : numpy.ndarray or None
        uint8, the array's shape: the position in ``sources`` of the dataset each cell
        came from (:data:`NO_SOURCE` where none), as :func:`wakhan.dem.build_dem` records
        it for a mosaic; ``None`` when not known (then read ``sources``' first entry).
        A grid on the same lattice (:meth:`with_array`) keeps it.
    """

    array: np.ndarray
    transform: Affine
    crs: CRS
    nodata: float | None = None
    sources: tuple[DataSource, ...] = ()
    notes: tuple[str, ...] = field(default=())
    source_index: np.ndarray | BlockIndex | None = field(default=None, repr=False)

    def __post_init__(self):
        if not isinstance(self.transform, Affine):
            raise TypeError(
                f"a Grid needs an affine.Affine transform (e.g. rasterio.transform.from_origin(west, north, "
                f"xres, yres)), got {type(self.transform).__name__}"
            )
        if self.crs is None:
            raise TypeError("a Grid needs a CRS (e.g. 'EPSG:32643'), got None")
        if not isinstance(self.crs, CRS):
            object.__setattr__(self, "crs", CRS.from_user_input(self.crs))
        arr = np.asarray(self.array)
        if arr.ndim != 2:
            raise ValueError(f"a Grid holds a 2-D array, got shape {arr.shape}")
        object.__setattr__(self, "array", arr)
        object.__setattr__(self, "sources", tuple(self.sources))
        object.__setattr__(self, "notes", tuple(self.notes))
        if isinstance(self.source_index, BlockIndex):
            if self.source_index.shape != arr.shape:
                raise ValueError(
                    f"a Grid's source_index is a uint8 array of the grid's shape {arr.shape}, got a "
                    f"BlockIndex of shape {self.source_index.shape}; pass source_index=None on a grid of another lattice"
                )
        elif self.source_index is not None:
            index = np.asarray(self.source_index)
            if index.shape != arr.shape or index.dtype != np.uint8:
                raise ValueError(
                    f"a Grid's source_index is a uint8 array of the grid's shape {arr.shape}, got "
                    f"{index.dtype} {index.shape}; pass source_index=None on a grid of another lattice"
                )
            object.__setattr__(self, "source_index", index)

    def __repr__(self) -> str:
        """One line for a notebook: shape, cell size, CRS, sources (never the array or a WKT; no pass over the cells)."""
        epsg = self.crs.to_epsg()
        unit = "deg" if self.is_geographic else "m"
        src = "; ".join(s.name for s in self.sources) or "unknown source"
        return (
            f"<Grid {self.height:,} x {self.width:,} {self.array.dtype}, {self.res[0]:g} x {self.res[1]:g} {unit} cells, "
            f"{f'EPSG:{epsg}' if epsg else self.crs.to_proj4()}, nodata {self.nodata}; {src}>"
        )

    # -- shape and extent ---------------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        return self.array.shape

    @property
    def height(self) -> int:
        return self.array.shape[0]

    @property
    def width(self) -> int:
        return self.array.shape[1]

    @property
    def res(self) -> tuple[float, float]:
        """Cell size ``(dx, dy)`` in CRS units, both positive."""
        return abs(self.transform.a), abs(self.transform.e)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Outer edges ``(left, bottom, right, top)`` in CRS units."""
        t = self.transform
        left, top = t.c, t.f
        right = t.c + self.width * t.a + self.height * t.b
        bottom = t.f + self.width * t.d + self.height * t.e
        return (min(left, right), min(top, bottom), max(left, right), max(top, bottom))

    @property
    def is_geographic(self) -> bool:
        return bool(self.crs.is_geographic)

    # -- validity -----------------------------------------------------------
    def valid_mask(self) -> np.ndarray:
        """Boolean array, True where the cell holds data."""
        arr = self.array
        mask = np.ones(arr.shape, dtype=bool)
        if np.issubdtype(arr.dtype, np.floating):
            mask &= ~np.isnan(arr)
        if self.nodata is not None and not (isinstance(self.nodata, float) and np.isnan(self.nodata)):
            mask &= arr != self.nodata
        return mask

    def as_float(self) -> Grid:
        """Copy as float64 with NaN marking missing cells (``nodata=None``)."""
        out = self.array.astype(np.float64, copy=True)
        out[~self.valid_mask()] = np.nan
        return replace(self, array=out, nodata=None)

    # -- coordinates --------------------------------------------------------
    def xy(self, row, col):
        """Map coordinates of cell centres for (arrays of) ``row, col``."""
        row = np.asarray(row, dtype=np.float64)
        col = np.asarray(col, dtype=np.float64)
        t = self.transform
        x = t.c + (col + 0.5) * t.a + (row + 0.5) * t.b
        y = t.f + (col + 0.5) * t.d + (row + 0.5) * t.e
        return x, y

    def rowcol(self, x, y):
        """Integer ``(row, col)`` of the cells containing map points ``x, y``.

        Points outside the grid get indices outside ``[0, height) x [0, width)``;
        use :meth:`contains` to test.
        """
        inv = ~self.transform
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        col = inv.a * x + inv.b * y + inv.c
        row = inv.d * x + inv.e * y + inv.f
        return np.floor(row).astype(np.int64), np.floor(col).astype(np.int64)

    def contains(self, x, y):
        """True where map points ``x, y`` fall inside the grid."""
        row, col = self.rowcol(x, y)
        return (row >= 0) & (row < self.height) & (col >= 0) & (col < self.width)

    def sample(self, x, y, method: str = "bilinear"):
        """Values at map points ``x, y`` (NaN outside the grid or on missing cells).

        Parameters
        ----------
        x, y : array_like
            Map coordinates in the grid's CRS.
        method : {"bilinear", "nearest"}
            Bilinear interpolation between the four surrounding cell centres, or
            the value of the containing cell.
        """
        vals = (
            self.as_float().array
            if (self.nodata is not None or not np.issubdtype(self.array.dtype, np.floating))
            else self.array
        )
        x = np.atleast_1d(np.asarray(x, dtype=np.float64))
        y = np.atleast_1d(np.asarray(y, dtype=np.float64))
        inv = ~self.transform
        fc = inv.a * x + inv.b * y + inv.c - 0.5
        fr = inv.d * x + inv.e * y + inv.f - 0.5
        out = np.full(x.shape, np.nan)
        if method == "nearest":
            r = np.floor(fr + 0.5).astype(np.int64)
            c = np.floor(fc + 0.5).astype(np.int64)
            ok = (r >= 0) & (r < self.height) & (c >= 0) & (c < self.width)
            out[ok] = vals[r[ok], c[ok]]
            return out
        if method != "bilinear":
            raise ValueError(f"unknown sampling method {method!r}; use 'bilinear' or 'nearest'")
        # Clamp to the outermost cell centres so points in the outer half cell still sample.
        inside = (fr >= -0.5) & (fr <= self.height - 0.5) & (fc >= -0.5) & (fc <= self.width - 0.5)
        fr = np.clip(fr, 0, self.height - 1)
        fc = np.clip(fc, 0, self.width - 1)
        r0 = np.clip(np.floor(fr).astype(np.int64), 0, max(self.height - 2, 0))
        c0 = np.clip(np.floor(fc).astype(np.int64), 0, max(self.width - 2, 0))
        r1 = np.minimum(r0 + 1, self.height - 1)
        c1 = np.minimum(c0 + 1, self.width - 1)
        wr = fr - r0
        wc = fc - c0
        v = (
            (1 - wr) * (1 - wc) * vals[r0, c0]
            + (1 - wr) * wc * vals[r0, c1]
            + wr * (1 - wc) * vals[r1, c0]
            + wr * wc * vals[r1, c1]
        )
        out[inside] = v[inside]
        return out

    # -- provenance ---------------------------------------------------------
    def with_array(self, array: np.ndarray, **changes) -> Grid:
        """A grid on the same georeferencing holding ``array``."""
        array = np.asarray(array)
        if array.shape != self.shape:
            raise ValueError(f"array shape {array.shape} does not match grid shape {self.shape}")
        return replace(self, array=array, **changes)

    def with_note(self, note: str) -> Grid:
        return replace(self, notes=self.notes + (note,))

    def describe_resolution(self) -> str:
        """Cell size in words, e.g. ``"460 m x 460 m"`` or ``'3.0" x 3.0"'``."""
        dx, dy = self.res
        if self.is_geographic:
            return f'{dx * 3600:.1f}" x {dy * 3600:.1f}"'
        unit = self.crs.linear_units or "m"
        unit = "m" if unit in ("metre", "meter", "m") else unit
        return f"{dx:.0f} {unit} x {dy:.0f} {unit}"

    # -- files and xarray (see wakhan.gridio) -----------------------------
    def to_geotiff(self, path, **kw):
        """Write as a compressed Cloud-Optimized GeoTIFF (see :func:`wakhan.gridio.write_geotiff`)."""
        from wakhan.gridio import write_geotiff  # lazy: gridio imports grid (an import cycle)

        return write_geotiff(self, path, **kw)

    def to_xarray(self, name: str = "elevation_m"):
        """A rioxarray DataArray with this grid's CRS, transform and nodata."""
        from wakhan.gridio import grid_to_xarray  # lazy: gridio imports grid (an import cycle)

        return grid_to_xarray(self, name)

    @classmethod
    def from_xarray(cls, da, **kw) -> Grid:
        """A Grid from a 2-D rioxarray DataArray (see :func:`wakhan.gridio.grid_from_xarray`)."""
        from wakhan.gridio import grid_from_xarray  # lazy: gridio imports grid (an import cycle)

        return grid_from_xarray(da, **kw)

    def describe_sources(self) -> str:
        """Sources and grid resolution in one line, for captions and reports."""
        names = "; ".join(s.describe() for s in self.sources) or "unknown source"
        return f"{names}; grid {self.describe_resolution()}"
