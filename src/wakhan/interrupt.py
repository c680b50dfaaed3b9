"""Long native calls that Ctrl-C and SIGTERM can interrupt.

Python runs signal handlers in the main thread between bytecodes, so a long
call into compiled code (a Numba kernel, a GDAL warp) delays Ctrl-C until it
returns. :func:`run_interruptible` runs such a call in a worker thread while
the main thread waits in short joins and so reacts at once; the call must
release the GIL (Numba ``nogil=True``, rasterio's warp). An abandoned worker
ends with the process.
"""
from __future__ import annotations

import threading

__all__ = ["run_interruptible"]

_POLL_S = 0.05


def run_interruptible(fn, *args, **kwargs):
    """Return ``fn(*args, **kwargs)``, computed in a worker thread the main thread can abandon on a signal.

    Off the main thread (where no signal is delivered) ``fn`` is called directly.
    Exceptions raised by ``fn`` are re-raised in the caller.
    """
    if threading.current_thread() is not threading.main_thread():
        return fn(*args, **kwargs)
    box = {}

    def work():
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:    # re-raised in the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=work, name=f"wakhan-{getattr(fn, '__name__', 'call')}", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(_POLL_S)
    if "error" in box:
        raise box["error"]
    return box["value"]
