"""Settlement spec dispatch: ``read_settlements("ghs" | "wof:PATH" | ... | PATH)`` picks and calls a reader."""

from __future__ import annotations

import os
from pathlib import Path

from wakhan.errors import DataError, InputError
from wakhan.settlements.extract import read_geonames_extract  # the shipped cities500 extract
from wakhan.settlements.gazetteers import read_geonames, read_wof_csv
from wakhan.settlements.ghs import read_ghs
from wakhan.settlements.model import Settlements
from wakhan.settlements.points import read_points

__all__ = ["read_settlements", "DEFAULT_SETTLEMENT_SPECS"]

#: The settlement sources every command combines when none is given (``wakhan claims``,
#: ``remoteness``, ``sweep``, and their Python functions): the region pack's GHS-WUP classes
#: (>= 12) and the shipped GeoNames cities500 extract. One default, so the depopulated claim,
#: the remoteness surface and a sweep see the same settlements (issue 18).
DEFAULT_SETTLEMENT_SPECS = ("ghs", "geonames500")


def _sniff(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json", ".gpkg", ".shp"):
        return "points"
    if suffix in (".tif", ".tiff"):
        return "ghs"
    if suffix == ".zip":
        return "geonames"
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            head = fh.readline()
    except OSError as exc:
        raise DataError(f"settlement file {path} cannot be read ({exc}); check the path") from None
    if head.count("\t") == 18:
        return "geonames"
    fields = {f.strip().lower() for f in head.split(",")}
    if {"wof_id", "name", "lat", "lon"} <= fields or {"gn_feature_code", "lat", "lon"} <= fields:
        return "wof"
    return "points"


def read_settlements(spec: str) -> Settlements:
    """Settlements from a spec: ``ghs``, ``ghs:13``, ``ghs:PATH``, ``geonames500`` (shipped GeoNames
    cities500 extract), ``wof:PATH``, ``geonames:PATH``,
    ``points:PATH`` or a file path whose kind is sniffed.

    Raises
    ------
    InputError
        An unknown spec.
    DataError
        The file is missing or unreadable.
    """
    spec = (spec or "").strip()
    if not spec:
        raise InputError("an empty settlement source was given; use ghs, wof:PATH, geonames:PATH or a file path")
    kind, _, rest = spec.partition(":")
    kind = kind.lower()
    if len(kind) == 1 and os.name == "nt":  # a Windows drive letter, not a prefix
        kind, rest = "", spec
    if kind == "ghs" and not rest:
        return read_ghs()
    if kind == "geonames500" and not rest:
        return read_geonames_extract()
    if kind == "ghs":
        if rest.isdigit():
            return read_ghs(int(rest))
        return read_ghs(path=rest)
    if kind == "wof":
        return read_wof_csv(rest)
    if kind == "geonames":
        return read_geonames(rest)
    if kind == "points":
        return read_points(rest)
    path = Path(spec)
    if not path.exists():
        raise InputError(
            f"settlement source {spec!r} is neither a file nor a known kind; use ghs, ghs:13, "
            "wof:PATH, geonames:PATH, points:PATH or the path of an existing file"
        )
    kind = _sniff(path)
    return {"points": read_points, "geonames": read_geonames, "wof": read_wof_csv, "ghs": lambda p: read_ghs(path=p)}[
        kind
    ](path)
