"""The depopulated claim's stretch is reported at one position in every table of the report.

The report gave the headline stretch on foot as "km 7-182" in the gap table and "km 8" / "km 8-182"
in the tables of who bounds it and of each source's blind spots: those two were rounded to 0.1 km
in the claims JSON (7.496 -> 7.5) and then to whole km in the report (7.5 -> 8), a double rounding.
"""

from types import SimpleNamespace

import numpy as np

from wakhan.claims.evidence import blind_spots, bounding_settlements
from wakhan.gaps import gap_table
from wakhan.grid import DataSource
from wakhan.report.coarse import settlement_evidence_md
from wakhan.settlements import Settlements


def test_a_stretch_starting_at_km_7_46_reads_km_7_in_every_table():
    # a route due east along 37 N (1 degree of longitude, ~88.9 km), a settlement on each end of it:
    # with a 7.47 km buffer the empty stretch starts ~7.46 km along (the distance to the settlement)
    lon, lat = np.linspace(74.0, 75.0, 201), np.full(201, 37.0)
    prof = SimpleNamespace(lon=lon, lat=lat, distance_km=np.linspace(0, 88.9, 201))
    places = Settlements(np.array([74.0, 75.0]), np.array([37.0, 37.0]), ("West", "East"), DataSource("A"), "")
    (row,) = gap_table(prof.distance_km, lon, lat, [places], [7.47])
    assert 7.45 <= row["start_km"] < 7.5  # the case: 0.1 km rounding gives 7.5, whole km of that 8
    gap_rows = {"walk": [{**row, "source": "A", "buffer_km": 7.47}]}
    details = {
        "bounding_settlements": bounding_settlements(row, prof, [places]),
        "blind_spots": blind_spots(gap_rows, "walk", 7.47, "A + B"),
    }
    text = "\n".join(settlement_evidence_md(details))
    assert "| start | km 7 | West |" in text
    assert "(km 7-81)" in text
    assert "km 8 |" not in text and "km 8-" not in text
