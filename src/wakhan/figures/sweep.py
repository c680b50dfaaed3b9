"""The figures of a Monte Carlo sweep: route-density maps and histograms of the headline values.

:func:`wakhan.sweep.outputs.write_uncertainty_files` calls them; matplotlib is
imported on the first drawing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["plot_density", "plot_histograms"]


def plot_density(density: dict, path: Path, n: int) -> None:
    """Route density of a Monte Carlo run: one panel per route, the share of ``n`` scenarios on each cell.

    ``density`` maps a route key to a :class:`wakhan.grid.Grid` of shares (0-1) on a
    metric grid (axes in km); the PNG goes to ``path`` with the grid's resolution and
    data sources in a caption.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> share = Grid(np.eye(20, dtype=np.float32), Affine(1000.0, 0, 0, 0, -1000.0, 20000.0), "EPSG:32643")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     plot_density({"walk": share}, Path(tmp) / "density.png", 10)
    ...     (Path(tmp) / "density.png").read_bytes()[1:4]
    b'PNG'
    """
    import matplotlib.pyplot as plt  # lazy: matplotlib, only when drawing

    fig, axes = plt.subplots(1, len(density), figsize=(6 * len(density), 5), squeeze=False)
    for ax, (key, g) in zip(axes[0], density.items()):
        left, bottom, right, top = g.bounds
        a = np.where(g.array > 0, g.array, np.nan)
        im = ax.imshow(
            a,
            extent=(left / 1e3, right / 1e3, bottom / 1e3, top / 1e3),
            cmap="viridis",
            vmin=0,
            vmax=1,
            interpolation="nearest",
        )
        ax.set_title(f"{key}: share of {n} scenarios on each cell")
        ax.set_xlabel("x, km")
        ax.set_ylabel("y, km")
        fig.colorbar(im, ax=ax, shrink=0.8)
    fig.text(0.01, 0.01, f"{g.describe_resolution()} grid; {g.describe_sources()}", fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_histograms(values: dict, path: Path) -> None:
    """Histograms of the headline values over a Monte Carlo run's scenarios, the claims' thresholds in red.

    ``values`` maps ``altitude``, ``walk_mean_elevation_m``, ``depopulated`` and
    ``highway`` to one value per scenario (m or km; ``None`` for a failed one).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> values = {"altitude": [4100.0, 4200.0, None], "depopulated": [120.0, 180.0, 150.0]}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     plot_histograms(values, Path(tmp) / "histograms.png")
    ...     (Path(tmp) / "histograms.png").read_bytes()[1:4]
    b'PNG'
    """
    import matplotlib.pyplot as plt  # lazy: matplotlib, only when drawing

    panels = [
        ("altitude", "corridor area mean elevation, m", 4000.0),
        ("walk_mean_elevation_m", "mean elevation along the walk, m", 4000.0),
        ("depopulated", "longest depopulated stretch on foot, km", 300.0),
        ("highway", "Wakhan highway length, km", None),
    ]
    fig, axes = plt.subplots(1, 4, figsize=(18, 4))
    for ax, (key, label, threshold) in zip(axes, panels):
        v = [x for x in values.get(key, []) if x is not None]
        if v:
            ax.hist(v, bins=min(20, max(5, len(v) // 2)), color="#4477aa")
        if threshold is not None:
            ax.axvline(threshold, color="#cc3311", lw=2, label=f"claim: {threshold:,.0f}")
            ax.legend(loc="upper left", fontsize=8)
        ax.set_xlabel(label)
        ax.set_ylabel("scenarios")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
