"""Walking days with daily limits: hours on the move, metres climbed, and how high one may sleep.

Dividing a route's walking time by eight hours makes days that no walker at
4,000-5,000 m would manage. :func:`walking_days` walks a route step by step
and ends a day when the next step would exceed

* ``hours_per_day`` of walking (default 8), or
* ``climb_per_day_m`` metres of ascent (default 1,000 m: a planning figure
  for loaded trekkers; an assumption, swept in scenarios), and then
* backs the night's camp up to the farthest point reached that day whose
  elevation keeps the rise in *sleeping* elevation above 3,000 m to at most
  500 m a day, and adds one rest day for every 1,000 m of sleeping elevation
  gained above the start or 3,000 m (whichever is higher): the Wilderness
  Medical Society's guideline for low risk of acute mountain sickness (Luks
  et al. 2019, *Wilderness Environ. Med.* 30(4S):S3-S18). The walker is taken
  as acclimatised to the start's elevation.

The last day counts as the fraction of ``hours_per_day`` it uses.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["walking_days", "HOURS_PER_DAY", "CLIMB_PER_DAY_M", "SLEEP_GAIN_PER_DAY_M", "SLEEP_RULE_ABOVE_M"]

HOURS_PER_DAY = 8.0
CLIMB_PER_DAY_M = 1000.0
SLEEP_GAIN_PER_DAY_M = 500.0
SLEEP_RULE_ABOVE_M = 3000.0
REST_DAY_EVERY_M = 1000.0


def walking_days(
    step_s,
    elevation_m,
    *,
    hours_per_day: float = HOURS_PER_DAY,
    climb_per_day_m: float = CLIMB_PER_DAY_M,
    sleep_rule: bool = True,
) -> dict:
    """Days to walk a route under daily limits.

    Parameters
    ----------
    step_s : array of float, length n - 1
        Walking time of each step, seconds (``Path.step_cost`` of the walking model).
    elevation_m : array of float, length n
        Elevation of each point of the path.
    hours_per_day, climb_per_day_m : float
        Daily limits; ``inf`` switches one off.
    sleep_rule : bool
        Apply the 500 m/day sleeping-elevation rule and rest days above 3,000 m.

    Returns
    -------
    dict
        ``days`` (float: whole days plus the last day's fraction), ``walking_days``
        (days on the move), ``rest_days``, ``camps_m`` (elevation of each night's
        camp), and the limits used.

    Examples
    --------
    Twenty one-hour steps on the flat at 2,000 m: two 8-hour days, then half a day.

    >>> d = walking_days([3600.0] * 20, [2000.0] * 21)
    >>> float(d["days"]), d["rest_days"], d["camps_m"]
    (2.5, 0, [2000.0, 2000.0])
    """
    t = np.asarray(step_s, dtype=np.float64) / 3600.0
    z = np.asarray(elevation_m, dtype=np.float64)
    if z.size != t.size + 1:
        raise ValueError(f"{t.size} steps need {t.size + 1} elevations, got {z.size}")
    climb = np.maximum(np.diff(z), 0.0)
    n = t.size
    i, days, camps = 0, 0, []
    sleep = float(z[0])
    acclimatised = max(float(z[0]), SLEEP_RULE_ABOVE_M)
    last_fraction = 0.0
    while i < n:
        hours = gained = 0.0
        j = i
        while j < n and hours + t[j] <= hours_per_day and gained + climb[j] <= climb_per_day_m:
            hours += t[j]
            gained += climb[j]
            j += 1
        if j == i:  # a single step longer than a day's limits: take it anyway
            hours, j = t[i], i + 1
        if j >= n:
            last_fraction = hours / hours_per_day if math.isfinite(hours_per_day) else 1.0
            break
        if sleep_rule:
            cap = max(sleep, SLEEP_RULE_ABOVE_M) + SLEEP_GAIN_PER_DAY_M
            k = j
            while k > i and z[k] > cap:
                k -= 1
            if k > i:
                j = k
            # k == i: nowhere lower to sleep on today's stretch; camp at its end anyway
        days += 1
        sleep = float(z[j])
        camps.append(round(sleep, 1))
        i = j
    rest = 0
    if sleep_rule and camps:
        top = max(camps)
        rest = int(max(top - acclimatised, 0.0) // REST_DAY_EVERY_M)
    return {
        "days": days + last_fraction + rest,
        "walking_days": days + last_fraction,
        "rest_days": rest,
        "camps_m": camps,
        "hours_per_day": hours_per_day,
        "climb_per_day_m": climb_per_day_m,
        "sleep_rule": bool(sleep_rule),
    }
