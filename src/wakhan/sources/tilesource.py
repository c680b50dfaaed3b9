"""Tile sources: where SRTM tiles come from, as URL templates filled per tile.

:data:`SOURCES` names the built-in sources; :func:`get_source` also accepts any
``http(s)://...{name}...`` template the user gives, or ``$WAKHAN_TILE_SOURCE``.
"""

from __future__ import annotations

import hashlib
import os
import string
import urllib.parse
from dataclasses import dataclass, field

from wakhan.errors import InputError
from wakhan.sources import srtm

__all__ = ["TileSource", "SOURCES", "DEFAULT_SOURCE", "ENV_SOURCE", "TILE_SUFFIXES", "get_source"]

ENV_SOURCE = "WAKHAN_TILE_SOURCE"
DEFAULT_SOURCE = "skadi"
TILE_SUFFIXES = (".hgt.gz", ".hgt.zip", ".hgt", ".tif", ".tiff", ".zip")
_FIELDS = {"name", "name_lower", "lat_band", "lon_band"}


@dataclass(frozen=True)
class TileSource:
    """Where tiles come from: a URL template filled per tile.

    Template fields: ``{name}`` (``N57E011``), ``{name_lower}`` (``n57e011``),
    ``{lat_band}`` (``N57``), ``{lon_band}`` (``E011``).
    """

    name: str
    url_template: str
    description: str = ""
    resolution: str = ""
    licence: str = ""
    hashes: dict = field(default_factory=dict, hash=False, compare=False)  # tile -> "sha256:..."

    @property
    def key(self) -> str:
        """Cache folder name: the source name, or ``custom-<hash>`` for a user template."""
        if self.name != "custom":
            return self.name
        return "custom-" + hashlib.sha256(self.url_template.encode()).hexdigest()[:10]

    @property
    def suffix(self) -> str:
        """File suffix of the tiles this source serves (``.hgt.gz``, ``.hgt.zip``, ...)."""
        path = self.url_template.split("?", 1)[0].lower()
        for suf in TILE_SUFFIXES:
            if path.endswith(suf):
                return suf
        return ".hgt"

    def url(self, tile: str) -> str:
        lat, lon = srtm.parse_tile_name(tile)
        tile = srtm.tile_name(lat, lon)
        return self.url_template.format(name=tile, name_lower=tile.lower(), lat_band=tile[:3], lon_band=tile[3:])


SOURCES: dict[str, TileSource] = {
    "skadi": TileSource(
        "skadi",
        "https://s3.amazonaws.com/elevation-tiles-prod/skadi/{lat_band}/{name}.hgt.gz",
        'AWS Open Data terrain tiles (Mapzen/Tilezen), skadi layout: 1" SRTM-based .hgt.gz tiles',
        srtm.resolution_words(1),
        "SRTM public domain; attribution: Mapzen terrain tiles (tilezen/joerd docs/attribution.md)",
    ),
}


def get_source(spec: str | TileSource | None = None) -> TileSource:
    """The tile source for a name in :data:`SOURCES` or a URL template; default ``$WAKHAN_TILE_SOURCE`` or skadi."""
    if isinstance(spec, TileSource):
        return spec
    spec = spec or os.environ.get(ENV_SOURCE) or DEFAULT_SOURCE
    if spec in SOURCES:
        return SOURCES[spec]
    if "://" not in spec:
        raise InputError(
            f"unknown tile source {spec!r}: use one of {', '.join(SOURCES)} or a URL template "
            "such as 'https://host/path/{name}.hgt.gz'"
        )
    if not spec.lower().startswith(("http://", "https://")):
        raise InputError(
            f"tile source {spec!r} is not an http(s) URL template: give one like 'https://host/path/{{name}}.hgt.gz'"
        )
    try:
        used = {f for _, f, _, _ in string.Formatter().parse(spec) if f is not None}
    except ValueError as exc:
        raise InputError(f"tile source template {spec!r} is malformed ({exc}); use fields like {{name}}") from None
    if not used or not used <= _FIELDS:
        raise InputError(
            f"tile source template {spec!r} must use only the fields "
            f"{', '.join('{' + f + '}' for f in sorted(_FIELDS))}, and at least {{name}}"
        )

    try:
        probe = urllib.parse.urlsplit(
            spec.format(name="N00E000", name_lower="n00e000", lat_band="N00", lon_band="E000")
        )
        _ = probe.port  # raises on a malformed port
    except ValueError as exc:
        raise InputError(
            f"tile source {spec!r} is not a valid URL ({exc}); give one like 'https://host/path/{{name}}.hgt.gz'"
        ) from None
    if not probe.hostname:
        raise InputError(f"tile source {spec!r} names no host; give one like 'https://host/path/{{name}}.hgt.gz'")
    return TileSource("custom", spec, "user-supplied URL template", "", "")
