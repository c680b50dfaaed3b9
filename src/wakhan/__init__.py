"""wakhan: route feasibility analysis over real terrain.

Data flows one way: ``sources`` (SRTM tiles, region pack) -> ``dem`` (mosaic,
voids, metric grid) -> ``cost`` (cost models) -> ``solve`` (least-cost paths) ->
``route`` (profile, statistics) -> ``claims`` / ``report``.
"""

from wakhan.errors import WakhanError
from wakhan.grid import DataSource, Grid

__version__ = "0.3.0"
__all__ = ["DataSource", "Grid", "WakhanError", "__version__"]
