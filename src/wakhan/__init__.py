"""wakhan: route feasibility analysis over real terrain.

Data flows one way: ``sources`` (SRTM tiles, region pack) -> ``dem`` (mosaic,
voids, metric grid) -> ``cost`` (cost models) -> ``solve`` (least-cost paths) ->
``route`` (profile, statistics) -> ``claims`` / ``report``.
"""

import os

# Numba highlights its error messages with colorama, whose init()/deinit() replace the process's
# sys.stdout and sys.stderr each time Numba builds an error (hundreds of times while it compiles, in
# whichever thread compiles: the claims' warm-up thread, wakhan.solve.warmup). A write on the main
# thread could then go to a stale stream; read before Numba's first import, this turns that off.
os.environ.setdefault("NUMBA_DISABLE_ERROR_MESSAGE_HIGHLIGHTING", "1")

from wakhan.errors import WakhanError  # noqa: E402 - after the environment Numba reads at import
from wakhan.grid import DataSource, Grid  # noqa: E402

__version__ = "0.3.0"
__all__ = ["DataSource", "Grid", "WakhanError", "__version__"]
