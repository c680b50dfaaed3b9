"""Issue 21, item 3: one output gate. Every writer checks its destination before work and turns a
failing write into one sentence naming the path, exit 2, with no partial file left."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from clirun import env, wakhan_run

from wakhan.cli import run
from wakhan.errors import InputError
from wakhan.fileio import output_gate, staged_files
from wakhan.writable import check_writable

ROUTE_FORMATS = [".gpkg", ".kml", ".fgb", ".shp", ".geojson", ".gpx", ".csv"]


def _one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def _small_route(n: int = 400):
    from wakhan.route import RouteResult, build_summary, profile_from_lonlat

    p = profile_from_lonlat(np.linspace(71.0, 71.5, n), np.full(n, 37.0), np.linspace(3000.0, 4000.0, n))
    return RouteResult(build_summary(p, "example", places=None, country_at=None), p)


@pytest.fixture
def fake_plan(monkeypatch):
    """`wakhan route` without the solve: the writers are under test, not the solver."""
    import wakhan.plan

    monkeypatch.setattr(wakhan.plan, "plan_route", lambda *a, **k: _small_route())


# -- checked before any work ----------------------------------------------------------------------
@pytest.mark.parametrize("ext", ROUTE_FORMATS + [".tif", ".png"])
def test_destinations_that_cannot_hold_a_file_are_refused_up_front(ext, tmp_path):
    a_file = tmp_path / "plain"
    a_file.write_text("x")
    for bad, words in [
        (a_file / f"r{ext}", "is a file, not a folder"),
        (a_file / "deeper" / f"r{ext}", "is a file, not a folder"),
        (Path("/proc") / f"r{ext}", "special file system"),
        (tmp_path / "missing" / f"r{ext}", "does not exist"),
    ]:
        with pytest.raises(InputError, match=words) as info:
            check_writable(bad)
        assert str(bad) in str(info.value)


def test_a_device_is_not_replaced(tmp_path):
    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="special file"):
        check_writable(fifo)
    assert fifo.exists() and not fifo.is_file()


@pytest.mark.parametrize(
    "args",
    [
        ["route", "kashgar", "tashkurgan", "-o", "/proc/r.gpkg"],
        ["accumulate", "kashgar", "-o", "/proc/cost.tif"],
        ["corridor", "kashgar", "tashkurgan", "-o", "/proc/band.tif"],
        ["dem", "build", "--bbox", "74", "36.5", "74.1", "36.6", "-o", "/proc/dem.tif"],
    ],
)
def test_cli_refuses_a_special_file_system_in_one_sentence(args, capsys):
    assert run(args) == 2
    assert "special file system" in _one_line(capsys.readouterr().err)


def test_rasters_folder_is_checked_before_the_route_file_is_written(fake_plan, tmp_path, capsys):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    out = tmp_path / "r.gpkg"
    assert run(["route", "kashgar", "tashkurgan", "-o", str(out), "--rasters", str(blocker)]) == 2
    assert "is a file, not a folder" in _one_line(capsys.readouterr().err)
    assert not out.exists()


@pytest.fixture
def no_work(monkeypatch):
    """`wakhan route` whose solve fails the test if it starts: the output must be refused before it."""
    import wakhan.plan

    def solve(*a, **k):
        raise AssertionError("the route was solved before its output path was checked")

    monkeypatch.setattr(wakhan.plan, "plan_route", solve)


def _chattr(flag: str, path: Path) -> None:
    """``chattr flag path``, or skip: the tool, the privilege (CAP_LINUX_IMMUTABLE) or the file system's
    support for inode flags (ext4, xfs, btrfs have it; tmpfs and overlay often not) may be missing."""
    import shutil

    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    done = subprocess.run(["chattr", flag, str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"chattr {flag} is refused here ({done.stderr.strip()}): needs root and a file system with flags")


@pytest.mark.parametrize("ext", [".geojson", ".gpkg"])
def test_an_immutable_output_file_is_refused_before_the_work(no_work, ext, tmp_path, capsys):
    """An output that cannot be replaced (chattr +i, even for root) failed only at the final rename,
    after the solve, as 'Operation not permitted; check the folder and the free space'."""
    out = tmp_path / f"r{ext}"
    out.write_text("kept")
    _chattr("+i", out)
    try:
        assert run(["route", "kashgar", "tashkurgan", "-o", str(out)]) == 2
        line = _one_line(capsys.readouterr().err)
        assert f"cannot write {out}: the file is immutable (chattr +i)" in line and f"chattr -i {out}" in line, line
        assert out.read_text() == "kept" and sorted(os.listdir(tmp_path)) == [out.name]  # no temporary file
    finally:
        subprocess.run(["chattr", "-i", str(out)], check=False)


def test_an_append_only_output_folder_is_refused_before_the_work(no_work, tmp_path, capsys):
    """No file can be renamed into an append-only folder (chattr +a), a new one included."""
    folder = tmp_path / "logs"
    folder.mkdir()
    _chattr("+a", folder)
    try:
        assert run(["route", "kashgar", "tashkurgan", "-o", str(folder / "r.geojson")]) == 2
        assert f"folder {folder} is append-only (chattr +a)" in _one_line(capsys.readouterr().err)
        assert os.listdir(folder) == []
    finally:
        subprocess.run(["chattr", "-a", str(folder)], check=False)


@pytest.mark.parametrize(
    "args", [["route", "kashgar", "tashkurgan", "-o", "OUT/r.geojson"], ["claims", "-o", "OUT/report"]]
)
def test_a_read_only_output_folder_is_refused_before_the_work(no_work, args, tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        try:  # root (CAP_DAC_OVERRIDE) writes into a 555 folder, so there the case does not arise
            (folder / "probe").write_text("")
        except PermissionError:
            pass
        else:
            pytest.skip("running as root: chmod 555 does not stop writes, so the output would succeed")
        args = [a.replace("OUT", str(folder)) for a in args]
        assert run(args) == 2
        line = _one_line(capsys.readouterr().err)
        assert f"folder {folder} is not writable" in line and "choose another output" in line, line
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o755)


def test_route_to_closed_stdout_exits_quietly():
    done = wakhan_run(
        "route",
        "kashgar",
        "tashkurgan",
        "-o",
        "-",
        stdout=subprocess.DEVNULL,
        capture_output=False,
        stderr=subprocess.PIPE,
        pass_fds=(),
        preexec_fn=lambda: os.close(1),
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == ""


# -- failures during the write --------------------------------------------------------------------
_FSIZE_SCRIPT = textwrap.dedent(
    """
    import json, os, resource, signal, sys
    import numpy as np
    from pathlib import Path
    from rasterio.transform import from_origin
    from test_output_gate import _small_route
    from wakhan.errors import WakhanError
    from wakhan.figures import plot_profile
    from wakhan.grid import Grid
    from wakhan.route.files import write_route

    route = _small_route()
    grid = Grid(np.random.default_rng(1).random((300, 300), dtype=np.float32), from_origin(0, 0, 100, 100),
                "EPSG:32643")
    os.chdir(sys.argv[1])
    # Any write past 4 kB fails in the kernel (EFBIG), inside GDAL's C code as in Python's
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    out = {}
    for name, write in [(f"r{e}", lambda p: write_route(Path(p), route)) for e in json.loads(sys.argv[2])] + [
        ("g.tif", lambda p: grid.to_geotiff(p)), ("p.png", lambda p: plot_profile(route, p))]:
        try:
            write(name)
            out[name] = "written"
        except WakhanError as exc:
            out[name] = str(exc)
        except Exception as exc:
            out[name] = "RAW " + type(exc).__name__
    print(json.dumps({"messages": out, "left": sorted(os.listdir("."))}))
    """
)


def test_a_write_that_fails_midway_is_one_sentence_and_leaves_nothing(tmp_path):
    here = Path(__file__).resolve().parent
    done = subprocess.run(
        [sys.executable, "-c", _FSIZE_SCRIPT, str(tmp_path), json.dumps(ROUTE_FORMATS)],
        capture_output=True,
        text=True,
        env=env(PYTHONPATH=f"{env()['PYTHONPATH']}{os.pathsep}{here}"),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    for name, message in got["messages"].items():
        assert message.startswith(f"cannot write {name}:"), (name, message)
        assert "\n" not in message
    assert got["left"] == []  # no partial file, no temporary file


def test_full_disk_while_writing_any_route_format_is_exit_2(fake_plan, monkeypatch, tmp_path, capsys):
    def full(*a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)  # the last step of every write: the rename into place
    for ext in ROUTE_FORMATS:
        out = tmp_path / f"r{ext}"
        assert run(["route", "kashgar", "tashkurgan", "-o", str(out)]) == 2
        line = _one_line(capsys.readouterr().err)
        assert "disk is full" in line and str(out) in line
        assert sorted(os.listdir(tmp_path)) == [], ext


def test_sweep_outputs_on_a_full_disk_leave_nothing(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    from wakhan.cli.sweep_commands import write_sweep_outputs

    unc = {"density": {}, "scenarios": {"finished": 2}, "values": {"altitude": [4100.0, 4200.0]}}
    out = tmp_path / "sweep_out"

    def full(self, *a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Figure, "savefig", full)
    with pytest.raises(InputError, match="disk is full"):
        write_sweep_outputs({"scenarios": []}, unc, out)
    assert sorted(os.listdir(tmp_path)) == []  # not even the folder, let alone empty files
    monkeypatch.undo()
    written = write_sweep_outputs({"scenarios": []}, unc, out)
    assert sorted(os.listdir(out)) == ["monte_carlo_histograms.png", "sweep.json"]
    # what `sweep -o DIR --json` names as written (it named nothing): the files now in the folder, by size
    assert written == [out.resolve() / n for n in sorted(os.listdir(out))]
    from wakhan.cli.written import file_records

    assert [(r["format"], r["bytes"]) for r in file_records(written)] == [
        ("png", (out / "monte_carlo_histograms.png").stat().st_size),
        ("json", (out / "sweep.json").stat().st_size),
    ]


def test_staged_files_move_all_or_nothing(tmp_path):
    dest = tmp_path / "out"
    with pytest.raises(RuntimeError):
        with staged_files(dest, folder=True) as tmp:
            (tmp / "a.txt").write_text("a")
            raise RuntimeError("later failure")
    assert os.listdir(tmp_path) == []
    with staged_files(dest, folder=True) as tmp:
        (tmp / "a.txt").write_text("a")
    assert os.listdir(dest) == ["a.txt"] and sorted(os.listdir(tmp_path)) == ["out"]


def test_a_write_error_inside_staged_files_names_the_real_file_not_the_hidden_folder(tmp_path):
    """`compare -o cmp` on a full disk said "cannot write .cmp.wk123-abc/route_....geojson": the staging
    folder, which the user never sees and which is gone by then. The sentence names cmp/route_....geojson."""
    import errno

    dest = tmp_path / "cmp"
    with pytest.raises(InputError) as info:
        with staged_files(dest, folder=True) as tmp:
            with output_gate(tmp / "route_a.geojson"):
                raise OSError(errno.ENOSPC, "No space left on device")
    message = str(info.value)
    assert message.startswith(f"cannot write {dest / 'route_a.geojson'}: the disk is full"), message
    assert str(tmp) not in message and os.listdir(tmp_path) == []
    with pytest.raises(InputError) as info:  # a multi-file writer (shapefile): NAME.shp in NAME's folder
        with staged_files(tmp_path / "r.shp") as tmp:
            with output_gate(tmp / "r.dbf"):
                raise OSError(errno.ENOSPC, "No space left on device")
    assert str(info.value).startswith(f"cannot write {tmp_path / 'r.dbf'}: the disk is full"), str(info.value)


def test_gdal_errors_are_translated_but_bugs_are_not(tmp_path):
    from rasterio.errors import RasterioIOError

    with pytest.raises(InputError, match="cannot write"):
        with output_gate(tmp_path / "x.tif"):
            raise RasterioIOError("write failed")
    with pytest.raises(KeyError):
        with output_gate(tmp_path / "x.tif"):
            raise KeyError("a bug stays a bug")


def test_an_immutable_file_in_an_output_folder_is_refused_up_front_and_the_folder_is_all_or_nothing(tmp_path):
    """`claims -o report/`: an immutable claims.json was found only when the finished files were moved in,
    one by one, so the files moved before it were replaced and the rest not (a half-updated folder)."""
    from wakhan.report import check_output_dir

    out = tmp_path / "report"
    out.mkdir()
    (out / "report.md").write_text("old report")
    locked = out / "claims.json"
    locked.write_text("{}")
    _chattr("+i", locked)
    try:
        with pytest.raises(InputError, match=r"claims\.json: the file is immutable \(chattr \+i\)"):
            check_output_dir(out)  # before the claims run
        with pytest.raises(InputError, match="immutable"):  # a writer that did not check: nothing is moved
            with staged_files(out, folder=True) as tmp:
                (tmp / "a_first.txt").write_text("new")
                (tmp / "claims.json").write_text('{"new": 1}')
                (tmp / "report.md").write_text("new report")
        assert sorted(os.listdir(out)) == ["claims.json", "report.md"]
        assert (out / "report.md").read_text() == "old report" and locked.read_text() == "{}"
    finally:
        subprocess.run(["chattr", "-i", str(locked)], check=False)


@pytest.mark.parametrize(
    "args, option",
    [
        (["claims", "-o", "-"], "-o"),
        (["compare", "-o", "-"], "-o"),
        (["route", "kashgar", "tashkurgan", "--rasters", "-"], "--rasters"),
    ],
)
def test_a_folder_output_given_as_dash_is_refused_not_created(no_work, args, option, tmp_path, monkeypatch, capsys):
    """`route -o -` means standard output; given for a folder of files (`claims -o -`, `--rasters -`), '-'
    made a folder literally named '-' in the working directory and wrote the report into it."""
    monkeypatch.chdir(tmp_path)
    assert run(args) == 2
    line = _one_line(capsys.readouterr().err)
    assert f"{option} - names no folder" in line and "give a folder name" in line, line
    assert os.listdir(tmp_path) == []  # no folder '-', nothing else


def test_check_writable_refuses_dash_for_a_folder_only(tmp_path):
    with pytest.raises(InputError, match="names no folder"):
        check_writable("-", folder=True, option="-o")
    assert check_writable("-") == Path("-")  # a file path '-' is the writers' business (stdout or a format error)
