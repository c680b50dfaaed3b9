"""The options of a Monte Carlo run and the dask scheduler it uses, checked before any work starts.

* :func:`check_monte_carlo` checks ``--monte-carlo N``, ``--seed`` and ``--workers`` (a whole
  number in range; N no larger than :func:`wakhan.sweep.schema.check_run_size` allows);
* :func:`parse_scheduler` parses a dask address (``tcp://HOST:PORT``, ``HOST:PORT``,
  ``tls://HOST:PORT`` with certificates configured) and refuses anything else in one sentence
  (an ``http://`` dashboard URL, a missing port, garbage);
* :func:`connect` opens a :class:`dask.distributed.Client` with a connection timeout and names a
  dead scheduler, a server that does not speak dask, or a scheduler without workers in one
  sentence (:func:`check_scheduler` connects, checks and disconnects, for use up front).
"""

from __future__ import annotations

import ipaddress
import os
import re

from wakhan.errors import InputError, option

__all__ = [
    "check_monte_carlo",
    "parse_scheduler",
    "connect",
    "check_scheduler",
    "CONNECT_TIMEOUT_S",
    "WORKERS_TIMEOUT_S",
]

#: Seconds to wait for a scheduler to answer, and for it to have at least one worker.
CONNECT_TIMEOUT_S = 10.0
WORKERS_TIMEOUT_S = 10.0

_SCHEMES = ("tcp", "tls")
_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)$")


def check_monte_carlo(n: int, seed: int, workers: int | None = None) -> None:
    """``--monte-carlo N``, ``--seed S`` and ``--workers W`` checked before the claims run.

    Raises
    ------
    InputError
        N below 0 or above the run-size limit (with an estimate of time and memory), a negative
        seed, a worker count below 1.
    """
    from wakhan.sweep.schema import check_run_size  # lazy: pydantic, only for Monte Carlo runs

    if n < 0:
        raise InputError(
            f"{option(f'--monte-carlo {n}', f'n={n}', subject=True)} must be a number of realizations, 1 or more (0: no Monte Carlo)"
        )
    if not 0 <= seed < 2**63:
        raise InputError(
            f"{option(f'--seed {seed}', f'seed={seed}', subject=True)} must be a whole number from 0 to {2**63 - 1:,}"
        )
    if workers is not None and workers < 1:
        raise InputError(
            f"{option(f'--workers {workers}', f'workers={workers}', subject=True)} must be 1 or more (the default is one per core)"
        )
    if n:
        check_run_size(n, option(f"--monte-carlo {n}", f"n={n}", subject=True), workers=workers)


def parse_scheduler(address: str, *, option: str = "--scheduler") -> str:
    """The dask address ``address`` as ``SCHEME://HOST:PORT``, or :class:`InputError` saying what is wrong.

    Examples
    --------
    >>> parse_scheduler("127.0.0.1:8786")
    'tcp://127.0.0.1:8786'

    ``http://head:8787`` (the dashboard), ``tcp://head`` (no port), ``tls://...`` without
    certificates configured and ``garbage`` are refused.
    """
    text = str(address).strip()
    shown = f"{option} {address!r}"
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "tcp", text
    scheme = scheme.lower()
    if scheme in ("http", "https", "ws", "wss"):
        raise InputError(
            f"{shown} is a web address (the dashboard's?); the scheduler listens on tcp://HOST:PORT, by default port 8786"
        )
    if scheme not in _SCHEMES:
        raise InputError(
            f"{shown} has the unknown protocol {scheme!r}; use tcp://HOST:PORT (or tls:// with certificates)"
        )
    host, colon, port = rest.rpartition(":")
    if not colon or not host:
        raise InputError(f"{shown} needs a host and a port, e.g. tcp://{rest or 'HOST'}:8786")
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise InputError(f"{shown} has the port {port!r}; a port is a whole number from 1 to 65535 (dask uses 8786)")
    if not _HOST.match(host):
        raise InputError(f"{shown} has the host {host!r}, which is not a host name or IP address")
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise InputError(f"{shown} has the host {host!r}, which is not an IPv6 address") from None
    if scheme == "tls":
        _check_tls(shown)
    return f"{scheme}://{host}:{int(port)}"


def _check_tls(shown: str) -> None:
    import dask.config  # lazy: dask, only for a tls:// address

    tls = dask.config.get("distributed.comm.tls", default={}) or {}
    client = tls.get("client") or {}
    if not (tls.get("ca-file") and client.get("cert")):
        raise InputError(
            f"{shown} is a TLS address but no certificates are configured; set DASK_DISTRIBUTED__COMM__TLS__CA_FILE, "
            "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT and __KEY (or use tcp://)"
        )


def _security():
    import dask.config  # lazy: dask, only for a tls:// address
    from distributed.security import Security  # lazy: as above

    tls = dask.config.get("distributed.comm.tls")
    return Security(
        tls_ca_file=tls.get("ca-file"),
        tls_client_cert=tls["client"].get("cert"),
        tls_client_key=tls["client"].get("key"),
        require_encryption=True,
    )


def connect(
    address: str,
    *,
    timeout_s: float = CONNECT_TIMEOUT_S,
    workers_timeout_s: float = WORKERS_TIMEOUT_S,
    option: str = "--scheduler",
):
    """A :class:`dask.distributed.Client` on the scheduler at ``address``, with at least one worker.

    Raises
    ------
    InputError
        The address does not parse; nothing answers within ``timeout_s`` (a dead host, a closed
        port, a server that does not speak dask); no worker joins within ``workers_timeout_s``.
    """
    url = parse_scheduler(address, option=option)
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
    from dask.distributed import Client  # lazy: dask.distributed, only when a sweep runs

    kw = {"security": _security()} if url.startswith("tls://") else {}
    workers = _probe(url, timeout_s, workers_timeout_s, option, kw.get("security"))
    if not workers:
        raise InputError(
            f"the dask scheduler at {url} has no workers (none joined within {workers_timeout_s:g} s); "
            f"start some with 'dask worker {url}', or drop {option}"
        )
    try:
        return Client(url, timeout=f"{timeout_s:g}s", **kw)
    except Exception as exc:  # noqa: BLE001 - whatever dask raises, the user gets one sentence
        raise _no_answer(url, timeout_s, option, exc) from None


def _no_answer(url: str, timeout_s: float, option: str, exc: BaseException) -> InputError:
    detail = " ".join(str(exc).split())[:160] or type(exc).__name__
    return InputError(
        f"no dask scheduler answered at {url} within {timeout_s:g} s ({detail}); start one with "
        f"'dask scheduler' and 'dask worker {url}', check the address, or drop {option}"
    )


def _probe(url: str, timeout_s: float, workers_timeout_s: float, option: str, security=None) -> int:
    """How many workers the scheduler at ``url`` has (waiting up to ``workers_timeout_s`` for one).

    Every network step runs under ``asyncio.wait_for``, in a thread of its own, so that a server
    that accepts and then says nothing (or junk) cannot hang the caller: dask's own connection
    timeout does not cover a handshake that never comes.
    """
    import asyncio
    import concurrent.futures

    from distributed.comm import connect as comm_connect  # lazy: dask.distributed, only when a sweep runs

    async def ask(comm) -> dict:
        await asyncio.wait_for(comm.write({"op": "identity", "reply": True}), timeout_s)
        answer = await asyncio.wait_for(comm.read(), timeout_s)
        if not isinstance(answer, dict) or answer.get("type") != "Scheduler":
            raise OSError(f"the server answered {str(answer)[:60]!r}, not as a dask scheduler")
        return answer

    async def probe() -> int:
        kw = {"connection_args": security.get_connection_args("client")} if security is not None else {}
        comm = await asyncio.wait_for(comm_connect(url, timeout=timeout_s, **kw), timeout_s + 1)
        try:
            end = asyncio.get_running_loop().time() + workers_timeout_s
            while True:
                n = len((await ask(comm)).get("workers") or {})
                if n or asyncio.get_running_loop().time() >= end:
                    return n
                await asyncio.sleep(0.25)
        finally:
            comm.abort()

    pool = concurrent.futures.ThreadPoolExecutor(1)
    try:
        return pool.submit(asyncio.run, probe()).result(timeout=2 * timeout_s + workers_timeout_s + 5)
    except Exception as exc:  # noqa: BLE001 - whatever dask or the network raises: one sentence
        if isinstance(exc, (asyncio.TimeoutError, concurrent.futures.TimeoutError)):
            exc = TimeoutError("no answer")
        raise _no_answer(url, timeout_s, option, exc) from None
    finally:
        pool.shutdown(wait=False)


def check_scheduler(address: str | None, **kw) -> str | None:
    """Connect to ``address`` (or ``$DASK_SCHEDULER_ADDRESS``) and disconnect: a bad one fails now, not later."""
    option = "--scheduler"
    if not address and os.environ.get("DASK_SCHEDULER_ADDRESS"):
        address, option = os.environ["DASK_SCHEDULER_ADDRESS"], "DASK_SCHEDULER_ADDRESS"
    if not address:
        return None
    client = connect(address, option=option, **kw)
    try:
        return client.scheduler.address
    finally:
        client.close()
