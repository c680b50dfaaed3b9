"""Where elevation data comes from: SRTM tiles (``srtm``), their download and cache
(``download``), and the bundled offline region pack (``pack``).

Import the submodules directly (``from wakhan.sources import srtm``); this package
imports nothing eagerly so that each stays cheap to load.
"""
