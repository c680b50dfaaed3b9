"""What wakhan's reports cite: the article they test and the datasets behind every number.

Each dataset entry gives the name a reader can search for, the version used,
a DOI where the publisher mints one (else the publisher's URL) and the licence.
:func:`cited_datasets` maps the ``data_sources`` of a result (names such as
``"GEBCO_2023 (SRTM15+ v2.5.5)"``) onto these entries.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TypedDict

__all__ = ["ARTICLE", "DATASETS", "Dataset", "article_citation", "cited_datasets"]


class _Article(TypedDict):
    author: str
    affiliation: str
    title: str
    date: str
    outlet: str | None
    quotes: dict[str, str]


#: The commentary whose claims ``wakhan claims`` tests. Its outlet is not named here:
#: it could not be established from the sources at hand (search by title and author).
ARTICLE: _Article = {
    "author": "Xiao Bin",
    "affiliation": "Deputy Secretary-General, Center of SCO Studies",
    "title": "China's Constructive Role in Central Asia",
    "date": "3 August 2021",
    "outlet": None,
    "quotes": {
        "altitude": "an average altitude of more than 4,000 meters",
        "depopulated": "cover a depopulated distance of 300 kilometers",
        "highway": "build a highway from Kashgar to Kabul",
    },
}


@dataclass(frozen=True)
class Dataset:
    """One dataset as a report cites it."""

    key: str
    name: str
    version: str
    publisher: str
    year: str
    doi: str = ""
    url: str = ""
    licence: str = ""
    match: str = ""  # regular expression on lower-case DataSource names that mean this dataset

    @property
    def link(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else self.url

    def citation(self) -> str:
        """One line: publisher (year). Name, version. DOI or URL. Licence."""
        ref = f"doi:{self.doi}" if self.doi else self.url
        year = f" ({self.year})" if self.year else ""
        return f"{self.publisher}{year}. {self.name}, {self.version}. {ref}. Licence: {self.licence}."

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("match")
        d["link"] = self.link
        return d


DATASETS = (
    Dataset(
        "gebco",
        "GEBCO_2023 Grid (land heights from SRTM15+ v2.5.5)",
        "GEBCO_2023, 15 arc-second",
        "GEBCO Compilation Group",
        "2023",
        doi="10.5285/f98b053b-0cbc-6c23-e053-6c86abc0af7b",
        url="https://www.gebco.net/",
        licence="public domain (GEBCO grid terms of use; attribution requested)",
        match=r"gebco",
    ),
    Dataset(
        "globe",
        "GLOBE: Global Land One-kilometer Base Elevation",
        "version 1.0, 30 arc-second",
        "GLOBE Task Team et al., NOAA National Geophysical Data Center",
        "1999",
        doi="10.7289/V52R3PMS",
        url="https://www.ngdc.noaa.gov/mgg/topo/globe.html",
        licence="public domain (NOAA)",
        match=r"\bglobe\b",
    ),
    Dataset(
        "natural-earth",
        "Natural Earth Admin 0 - Countries, 1:10m (German point of view)",
        "version 5",
        "Natural Earth",
        "",
        url="https://www.naturalearthdata.com/",
        licence="public domain",
        match=r"natural earth",
    ),
    Dataset(
        "ghs-wup",
        "GHS-WUP Degree of Urbanisation (DEGURBA), epoch 2025",
        "R2025A, 1 km",
        "European Commission, Joint Research Centre",
        "2025",
        doi="10.2905/1c049178-ab00-4bbc-b638-3e3c19daaacb",
        url="https://human-settlement.emergency.copernicus.eu/",
        licence="CC BY 4.0",
        match=r"^ghs",
    ),
    Dataset(
        "srtm",
        "NASA Shuttle Radar Topography Mission Global 1 arc second (SRTMGL1)",
        "version 3.0",
        "NASA JPL",
        "2013",
        doi="10.5067/MEaSUREs/SRTM/SRTMGL1.003",
        licence="public domain",
        match=r"^srtm(?!15)",
    ),
    Dataset(
        "wof",
        "Who's On First gazetteer (localities)",
        "data as downloaded",
        "Who's On First",
        "",
        url="https://whosonfirst.org/",
        licence="CC0 (most records; see each record's sources)",
        match=r"who's on first",
    ),
    Dataset(
        "geonames",
        "GeoNames geographical database",
        "dump as downloaded",
        "GeoNames",
        "",
        url="https://www.geonames.org/",
        licence="CC BY 4.0",
        match=r"geonames",
    ),
)


def article_citation() -> str:
    """The article as a reference line (outlet only when established)."""
    a = ARTICLE
    outlet = f" {a['outlet']}," if a.get("outlet") else ""
    return f"{a['author']} ({a['affiliation']}), \u201c{a['title']}\u201d,{outlet} {a['date']}."


def cited_datasets(data_sources) -> list[Dataset]:
    """The catalogue entries for ``data_sources`` (dicts or DataSource), in catalogue order, each once."""

    names = [(d["name"] if isinstance(d, dict) else d.name).lower() for d in data_sources]
    return [ds for ds in DATASETS if any(re.search(ds.match, n) for n in names)]
