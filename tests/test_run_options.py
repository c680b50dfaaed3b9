"""Issue 21, item 2: sweep files, Monte Carlo options and dask addresses are checked before any work;
deterministic scenario errors are not retried, failed runs exit non-zero, lost workers are named,
Ctrl-C is quiet, and a tile download has an overall deadline."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from clirun import env

from wakhan.cli import run
from wakhan.errors import InputError, RouteError
from wakhan.sweep.cluster import check_monte_carlo, connect, parse_scheduler
from wakhan.sweep.run import run_scenarios, transient
from wakhan.sweep.scenario import monte_carlo, read_sweep_file
from wakhan.sweep.schema import MAX_SCENARIOS


def _one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


# -- the sweep file -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body, key, words",
    [
        ("buffer_km = true", "buffer_km", "true/false"),
        ("dem_error_scale = [1, false]", "dem_error_scale", "true/false"),
        ("seed = -1", "seed", "from 0"),
        ("seed = 1.5", "seed", "whole number"),
        ("buffer_km = [2, -5]", "buffer_km", "above 0"),
        ("dem_error_scale = -0.5", "dem_error_scale", "at least 0"),
        ("correlation_length_m = -2000", "correlation_length_m", "above 0"),
        ("design_grade_pct = 0", "design_grade_pct", "above 0"),
        ("slope_gain = nan", "slope_gain", "finite"),
        ("buffer_km = []", "buffer_km", "empty"),
        ("buffer_km = 'five'", "buffer_km", "number"),
        ("corridor = 'everywhere'", "corridor", "wakhan"),
        ("realisations = 2", "realisations", "unknown"),
        ("[walking]\nspeed_kmh = 5", "[walking] speed_kmh", "not a walking model parameter"),
        ("[highway]\nhairpin_radius = 5", "[highway] hairpin_radius", "not a highway model parameter"),
        ("[walking]\nbase_speed_kmh = -1", "[walking] base_speed_kmh", "positive"),
        ("[highway]\ndesign_grade_pct = 0", "[highway] design_grade_pct", "positive"),
        ("walking = 3", "[walking]", "table"),
    ],
)
def test_a_bad_sweep_file_names_the_key(body, key, words, tmp_path):
    f = tmp_path / "s.toml"
    f.write_text(body + "\n")
    with pytest.raises(InputError) as info:
        read_sweep_file(f)
    msg = str(info.value)
    assert key in msg and words in msg and "\n" not in msg, msg


@pytest.mark.parametrize(
    "content, words",
    [
        (b"\x00\x01\x02binary\xff", "binary"),
        ("buffer_km = 5 # \xe9t\xe9\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_a_sweep_file_that_is_not_text(content, words, tmp_path):
    f = tmp_path / "s.toml"
    f.write_bytes(content)
    with pytest.raises(InputError, match=words):
        read_sweep_file(f)
    with pytest.raises(InputError, match="is a folder"):
        read_sweep_file(tmp_path)


def test_a_huge_sweep_is_refused_with_an_estimate(tmp_path):
    f = tmp_path / "s.toml"
    values = ", ".join(str(1 + i / 1000) for i in range(1000))
    f.write_text(f"realizations = 100000\ndem_error_scale = [{values}]\nbuffer_km = [2, 5]\n")
    with pytest.raises(InputError) as info:
        read_sweep_file(f, workers=2)
    msg = str(info.value)
    assert "realizations" in msg and "200,000,000 scenarios" in msg and f"{MAX_SCENARIOS:,}" in msg
    assert " h on 2 core(s)" in msg and " GB of memory" in msg


def _forbid(monkeypatch, module, name):
    def started(*a, **k):
        raise AssertionError(f"{module.__name__}.{name} ran: the work started before the options were checked")

    monkeypatch.setattr(module, name, started)


def test_sweep_command_refuses_before_any_work(tmp_path, capsys, monkeypatch):
    import wakhan.sweep

    _forbid(monkeypatch, wakhan.sweep, "prepare_inputs")
    f = tmp_path / "s.toml"
    f.write_text("seed = -1\n")
    assert run(["sweep", str(f)]) == 2
    assert "seed" in _one_line(capsys.readouterr().err)
    assert run(["sweep", str(tmp_path)]) == 2
    assert "is a folder" in _one_line(capsys.readouterr().err)


# -- Monte Carlo options of `wakhan claims`, before the claims run ---------------------------------
@pytest.mark.parametrize(
    "args, words",
    [
        (["--monte-carlo", "10000000"], "10,000,000 scenarios"),
        (["--monte-carlo", "1e20"], "--monte-carlo"),
        (["--monte-carlo", "-3"], "--monte-carlo -3"),
        (["--monte-carlo", "2", "--seed", "-1"], "--seed -1"),
        (["--monte-carlo", "2", "--workers", "-1"], "--workers -1"),
        (["--monte-carlo", "2", "--workers", "0"], "--workers 0"),
        (["--monte-carlo", "2", "--scheduler", "garbage"], "garbage"),
        (["--monte-carlo", "2", "--scheduler", "http://127.0.0.1:8787"], "web address"),
        (["--monte-carlo", "2", "--scheduler", "tls://127.0.0.1:8786"], "certificates"),
    ],
)
def test_monte_carlo_options_are_refused_before_the_claims_run(args, words, capsys, monkeypatch):
    import wakhan.claims

    _forbid(monkeypatch, wakhan.claims, "run_claims")
    assert run(["claims", *args]) == 2
    assert words in _one_line(capsys.readouterr().err)


def test_the_estimate_names_time_and_memory():
    with pytest.raises(InputError) as info:
        check_monte_carlo(10_000_000, 0, workers=4)
    msg = str(info.value)
    assert "--monte-carlo 10000000" in msg and "on 4 core(s)" in msg and " GB of memory" in msg
    check_monte_carlo(MAX_SCENARIOS, 0, workers=4)  # the limit itself is allowed


@pytest.mark.parametrize(
    "address, words",
    [
        ("garbage", "needs a host and a port"),
        ("tcp://", "needs a host and a port"),
        ("tcp://head", "needs a host and a port"),
        ("tcp://head:99999", "port"),
        ("tcp://head:abc", "port"),
        ("tcp://he ad:8786", "not a host name"),
        ("https://head:8787/status", "web address"),
        ("ucx://head:8786", "unknown protocol"),
        ("tls://head:8786", "certificates"),
    ],
)
def test_scheduler_addresses_are_parsed(address, words):
    with pytest.raises(InputError, match=words):
        parse_scheduler(address)


def test_good_scheduler_addresses_pass():
    assert parse_scheduler("127.0.0.1:8786") == "tcp://127.0.0.1:8786"
    assert parse_scheduler("tcp://head.example.org:8786") == "tcp://head.example.org:8786"
    assert parse_scheduler("tcp://[::1]:8786") == "tcp://[::1]:8786"


class _Server:
    """A TCP server on 127.0.0.1 that accepts and then says ``reply`` (or nothing), for a bounded time."""

    def __init__(self, reply: bytes | None):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.reply, self.stop, self.conns = reply, threading.Event(), []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        t_end = time.monotonic() + 60
        while not self.stop.is_set() and time.monotonic() < t_end:
            try:
                c, _ = self.sock.accept()
            except OSError:
                continue
            self.conns.append(c)
            if self.reply is not None:
                try:
                    c.sendall(self.reply)
                except OSError:
                    pass

    def close(self):
        self.stop.set()
        self.thread.join(5)
        for c in self.conns:
            c.close()
        self.sock.close()


@pytest.mark.parametrize("reply", [None, b"HTTP/1.1 200 OK\r\n\r\nhello, I am not dask" * 50])
def test_a_server_that_is_not_a_scheduler_is_named_within_the_timeout(reply):
    server = _Server(reply)
    try:  # the server stays up 60 s: a connect without its own timeout would wait for that and fail
        with pytest.raises(InputError, match=f"no dask scheduler answered at tcp://127.0.0.1:{server.port}"):
            connect(f"127.0.0.1:{server.port}", timeout_s=2)
    finally:
        server.close()


def test_a_dead_scheduler_is_named():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    with pytest.raises(InputError, match="no dask scheduler answered"):
        connect(f"tcp://127.0.0.1:{port}", timeout_s=2)


def test_a_scheduler_without_workers_is_named():
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=0, processes=False, host="127.0.0.1", protocol="tcp", dashboard_address=None
    ) as cluster:
        with pytest.raises(InputError, match="has no workers"):
            connect(cluster.scheduler_address, timeout_s=5, workers_timeout_s=1)


def test_a_busy_dashboard_port_is_not_reported():
    """A user's own dask dashboard on 8787 (a Jupyter session) is no news to a run that asked for none."""
    import warnings

    from wakhan.sweep.run import dask_client

    busy = socket.socket()
    busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        busy.bind(("127.0.0.1", 8787))
        busy.listen(1)
    except OSError:
        pass  # already taken by someone else: busy either way
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with dask_client(workers=1, processes=False) as client:
                assert client.submit(sum, [1, 2]).result(timeout=30) == 3
    finally:
        busy.close()
    assert not [w for w in caught if "already in use" in str(w.message)], [str(w.message) for w in caught]


# -- retries and failures -------------------------------------------------------------------------
def test_which_errors_are_transient():
    assert not transient(InputError("bad walker"))
    assert not transient(RouteError("no route"))
    assert transient(OSError("connection reset"))
    assert not transient(OSError("connection reset"), OSError("connection reset"))  # same error twice
    assert transient(None)  # a lost worker


def test_a_deterministic_error_is_not_retried_a_flaky_one_is():
    calls = {}

    def task(s, inputs):
        calls[s.index] = calls.get(s.index, 0) + 1
        if s.index == 0:
            raise InputError("walking model parameter base_speed_kmh=-1 must be positive")
        if s.index == 1 and calls[1] == 1:
            raise ConnectionResetError("flaky")
        if s.index == 2:
            raise ValueError("always the same")
        return {"index": s.index}

    out = run_scenarios(monte_carlo(3, 1), None, serial=True, retries=2, progress=False, task=task)
    assert [r["index"] for r in out.results] == [1]
    assert calls == {0: 1, 1: 2, 2: 2}  # InputError once; flaky retried; the same ValueError twice, then stop
    assert [(f["index"], f["attempts"]) for f in out.failed] == [(0, 1), (2, 2)]


@pytest.mark.slow
def test_a_run_with_failed_scenarios_exits_non_zero(tmp_path, capsys):
    """A walk held under 0.5 % finds no route (RouteError): the same on every try, so tried once."""
    f = tmp_path / "s.toml"
    f.write_text("dem_error_scale = 0\n[walking]\nmax_grade_pct = 0.5\n")
    code = run(["sweep", str(f), "--serial", "--json"])
    captured = capsys.readouterr()
    assert code == 1
    assert "error: 1 of 1 scenarios failed" in captured.err
    assert '"attempts": 1' in captured.out


_CLUSTER_SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from wakhan.sweep.run import run_scenarios
    from wakhan.sweep.scenario import monte_carlo

    def task(s, flag):
        import os, time
        from pathlib import Path
        Path(flag).touch()
        if os.environ.get("MODE") == "die":
            os._exit(3)  # the worker process dies mid-task
        time.sleep(120)
        return {"index": s.index}

    if __name__ == "__main__":
        try:
            run = run_scenarios(monte_carlo(1, 1), sys.argv[1], workers=1, task=task, progress=False, retries=0)
            print(run.failed[0]["error"] if run.failed else "finished")
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            sys.exit(130)
    """
)


def _cluster_run(tmp_path, mode):
    script = tmp_path / "cluster_run.py"
    script.write_text(_CLUSTER_SCRIPT)
    flag = tmp_path / "started"
    e = env(MODE=mode, DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=0)
    p = subprocess.Popen(
        [sys.executable, str(script), str(flag)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=e,
        start_new_session=True,
    )
    return p, flag


@pytest.mark.slow
def test_a_lost_worker_is_named(tmp_path):
    p, _ = _cluster_run(tmp_path, "die")
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    assert "worker running it was lost" in out and "NoneType" not in out


@pytest.mark.slow
def test_ctrl_c_stops_the_workers_quietly(tmp_path):
    p, flag = _cluster_run(tmp_path, "sleep")
    t_end = time.monotonic() + 90
    while not flag.exists() and time.monotonic() < t_end and p.poll() is None:
        time.sleep(0.2)
    assert flag.exists(), p.communicate(timeout=30)
    os.killpg(p.pid, signal.SIGINT)  # as a terminal does: to the whole process group, workers too
    out, err = p.communicate(timeout=60)
    assert p.returncode == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.strip() == "interrupted"


# -- downloads ------------------------------------------------------------------------------------
def test_a_server_dripping_one_byte_at_a_time_hits_the_deadline(tmp_path):
    """Each read gets a byte within --timeout, so only an overall deadline per tile stops it."""
    from wakhan.errors import DataError
    from wakhan.sources.download import fetch_tile

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    srv.settimeout(0.2)
    port, stop = srv.getsockname()[1], threading.Event()

    def drip():
        t_end = time.monotonic() + 30
        while not stop.is_set() and time.monotonic() < t_end:
            try:
                c, _ = srv.accept()
            except OSError:
                continue
            with c:
                c.recv(4096)
                c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
                while not stop.is_set() and time.monotonic() < t_end:
                    try:
                        c.sendall(b"\x1f")
                    except OSError:
                        break
                    time.sleep(0.2)

    t = threading.Thread(target=drip, daemon=True)
    t.start()
    try:  # the server drips for 30 s at most; without a deadline the fetch fails then, for another reason
        with pytest.raises(DataError, match="deadline"):
            fetch_tile(
                "N36E071",
                f"http://127.0.0.1:{port}/{{name}}.hgt.gz",
                tmp_path,
                retries=3,
                retry_wait_s=0.1,
                timeout_s=1.0,
                deadline_s=2.0,
            )
    finally:
        stop.set()
        t.join(5)
        srv.close()


def test_tiles_fetch_has_a_deadline_option(capsys):
    assert run(["tiles", "fetch", "--help"]) == 0
    assert "--deadline" in capsys.readouterr().out
