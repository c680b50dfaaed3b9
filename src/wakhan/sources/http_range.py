"""One tile over HTTP: a downloader that resumes a ``.part`` file with ``Range``, retries and validates.

:class:`_RangeDownloader` writes into a part file owned by one process, raises
:class:`_Missing` when the server reports the tile missing (404/410),
:class:`GaveUp` (a :class:`DataError`) when the server stops answering or keeps
failing through every retry, and :class:`DataError` when it fails for good otherwise: on a body larger
than any valid tile (:func:`max_tile_bytes`), or on a full disk (the part file
is deleted then). The caller moves the part onto the tile's name only after
:func:`wakhan.sources.srtm.read_tile` accepted it.
"""

from __future__ import annotations

import errno
import http.client
import time
import urllib.error
import urllib.request
from pathlib import Path

from wakhan.errors import DataError, InputError
from wakhan.sources import srtm

__all__ = ["max_tile_bytes", "GaveUp"]

_SRTM1_CELLS = 3601 * 3601


def max_tile_bytes(suffix: str) -> int:
    """Largest download accepted for one tile: an SRTM1 tile (3601 x 3601 cells; 4-byte cells for
    GeoTIFF, 2-byte otherwise) plus 1 % and 1 MiB for compression overhead and headers."""
    cell_bytes = 4 if suffix.lower().endswith((".tif", ".tiff")) else 2
    raw = _SRTM1_CELLS * cell_bytes
    return raw + raw // 100 + (1 << 20)


_USER_AGENT = "wakhan/0.1 (SRTM tile fetcher; Python urllib)"


class _Missing(Exception):
    def __init__(self, status: int):
        self.status = status


class _Transient(Exception):
    pass


class _OutOfTime(Exception):
    pass


class GaveUp(DataError):
    """The server did not deliver ``tile`` through every retry (down, cut, timing out or failing).

    Its sentence says how to resume this one tile; :func:`wakhan.sources.download.fetch_tiles`
    rewords it for a whole box. ``kept_bytes`` is the size of the part kept for a later run (0: none),
    ``part_name`` the name it is kept under.
    """

    def __init__(self, tile: str, url: str, attempts: int, reason: str, kept_bytes: int, part_name: str):
        self.tile, self.url, self.attempts, self.reason = tile, url, attempts, reason
        self.kept_bytes, self.part_name = kept_bytes, part_name
        super().__init__(f"{self.failure()}; {self.kept('; ')}run the same `wakhan tiles fetch` again to resume")

    def __reduce__(self):  # picklable (to and from dask workers) despite the extra arguments
        return (type(self), (self.tile, self.url, self.attempts, self.reason, self.kept_bytes, self.part_name))

    def failure(self) -> str:
        """``could not download TILE from URL after N attempts (REASON)``."""
        tries = f"{self.attempts} attempt{'' if self.attempts == 1 else 's'}"
        return f"could not download {self.tile} from {self.url} after {tries} ({self.reason})"

    def kept(self, tail: str = "") -> str:
        """What of this tile waits for the next run (followed by ``tail``), or nothing."""
        if not self.kept_bytes:
            return ""
        return f"its first {self.kept_bytes:,} bytes are kept as {self.part_name} to resume from{tail}"


class _RangeDownloader:
    """A pooch downloader: resumable (``.part`` + HTTP Range), retried, validated."""

    def __init__(
        self,
        tile: str,
        suffix: str,
        part: Path,
        *,
        retries: int,
        retry_wait_s: float,
        timeout_s: float,
        deadline_s: float | None = None,
        progress=None,
    ):
        self.tile, self.suffix, self.part = tile, suffix, part
        self.retries, self.retry_wait_s, self.timeout_s = retries, retry_wait_s, timeout_s
        self.deadline_s = deadline_s
        self.deadline = float("inf")
        self.progress = progress
        self.task = None

    def fetch(self, url: str) -> None:
        """Download ``url`` into ``self.part`` (resuming what it holds) and validate it as a tile.

        Each read waits at most ``timeout_s``; the whole tile, every attempt and wait included,
        must arrive within ``deadline_s`` (a server that drips a byte at a time never lets a read
        time out, so only an overall deadline stops it).
        """
        last: Exception | None = None
        if self.deadline_s is not None:
            self.deadline = time.monotonic() + self.deadline_s
        attempts, done = 0, False
        while attempts <= self.retries:
            if attempts:
                wait = self.retry_wait_s * 2 ** (attempts - 1)
                if time.monotonic() + wait > self.deadline:
                    break  # no time left for another attempt
                time.sleep(wait)
            attempts += 1
            try:
                self._once(url)
                done = True
                break
            except _Transient as exc:
                last = exc
            except _OutOfTime as exc:
                last = exc
                break
        if not done:
            kept = self.part.stat().st_size if self.part.is_file() else 0
            raise GaveUp(self.tile, url, attempts, str(last), kept, f"{self.tile}{self.suffix}.part")
        try:
            srtm.read_tile(self.part, name=f"{self.tile}{self.suffix}")
        except srtm.BadTileError as exc:
            self.part.unlink(missing_ok=True)
            raise DataError(
                f"the file downloaded for {self.tile} from {url} {exc.reason} and was deleted; "
                "check the source template or try again later"
            ) from None
        except (DataError, InputError) as exc:
            self.part.unlink(missing_ok=True)
            raise DataError(
                f"the file downloaded for {self.tile} from {url} is not a readable tile "
                f"({exc}) and was deleted; check the source template"
            ) from None

    def _too_big(self, url: str, size: int):
        self.part.unlink(missing_ok=True)
        limit = max_tile_bytes(self.suffix)
        return DataError(
            f"the server sends {size:,} bytes for {self.tile} from {url}, more than the largest "
            f"valid SRTM tile ({limit:,} bytes); nothing was kept; check the source template"
        )

    def _once(self, url: str) -> None:
        start = self.part.stat().st_size if self.part.exists() else 0
        headers = {"User-Agent": _USER_AGENT, "Accept-Encoding": "identity"}
        if start:
            headers["Range"] = f"bytes={start}-"
        req = urllib.request.Request(url, headers=headers)
        try:
            resp = urllib.request.urlopen(req, timeout=self.timeout_s)
        except urllib.error.HTTPError as exc:
            if exc.code in (404, 410):
                raise _Missing(exc.code) from None
            if exc.code == 416 and start:
                return  # nothing beyond what we have: the part is complete (validation decides)
            if exc.code >= 500 or exc.code in (408, 429):
                raise _Transient(f"HTTP {exc.code}") from None
            raise DataError(
                f"the tile server refused {url} with HTTP {exc.code} {exc.reason}; "
                "check the source template or try another --source"
            ) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise _Transient(getattr(exc, "reason", None) or exc) from None
        with resp:
            if resp.status == 206:
                crange = resp.headers.get("Content-Range", "")
                if not crange.startswith(f"bytes {start}-"):
                    self.part.unlink(missing_ok=True)
                    raise _Transient(f"server answered range {crange!r} to a resume from byte {start}")
                mode, have = "ab", start
            else:
                mode, have = "wb", 0
            length = resp.headers.get("Content-Length")
            total = have + int(length) if length and length.isdigit() else None
            limit = max_tile_bytes(self.suffix)
            if total is not None and total > limit:
                raise self._too_big(url, total)
            self._progress(total=total, completed=have)
            try:
                with open(self.part, mode) as fh:
                    while True:
                        if time.monotonic() > self.deadline:
                            raise _OutOfTime(
                                f"not finished within the {self.deadline_s:g} s deadline a tile has (--deadline): "
                                f"{have:,} bytes arrived"
                            )
                        try:
                            chunk = resp.read1(1 << 16)  # what one read brings, not 64 KiB of trickle
                        except (OSError, http.client.HTTPException) as exc:
                            raise _Transient(f"connection lost after {have} bytes ({exc})") from None
                        if not chunk:
                            break
                        if have + len(chunk) > limit:
                            raise self._too_big(url, have + len(chunk))
                        fh.write(chunk)
                        have += len(chunk)
                        self._progress(advance=len(chunk))
            except PermissionError:
                raise
            except OSError as exc:  # writing (or flushing on close) failed: full disk, I/O error
                raise self._write_failed(exc) from None
            if total is not None and have < total:
                raise _Transient(f"connection closed after {have} of {total} bytes")

    def _write_failed(self, exc: OSError):
        self.part.unlink(missing_ok=True)
        folder = self.part.parent
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return DataError(
                f"the disk holding the tile cache {folder} is full ({exc.strerror}) while "
                f"downloading {self.tile}; the partial file was deleted; free some space or "
                "choose another cache with --cache-dir"
            )
        return DataError(
            f"cannot write {self.tile} into the tile cache {folder} ({exc.strerror}); the partial "
            "file was deleted; choose a writable folder with --cache-dir"
        )

    def _progress(self, total=None, completed=None, advance=None):
        if self.progress is None:
            return
        if self.task is None:
            self.task = self.progress.add_task(self.tile, total=total)
        if completed is not None:
            self.progress.update(self.task, total=total, completed=completed)
        if advance:
            self.progress.advance(self.task, advance)
