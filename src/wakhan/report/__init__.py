"""Write what ``wakhan claims`` found: report.md, report.html, claims.json, route GeoJSON, figures.

Every file is built in a temporary folder beside the output folder and moved
into place only when all of them were written, so a failed run leaves no
half-written report. :mod:`~wakhan.report.document` assembles the data a report
states (claims.json, the parameters, how to cite it), :mod:`~wakhan.report.markdown`
writes report.md (its section on the highway claim: :mod:`~wakhan.report.highway_section`;
its number cells: :mod:`~wakhan.report.cells`), :mod:`~wakhan.report.html` report.html,
:mod:`~wakhan.report.citations` holds the article and datasets as the report cites them,
:mod:`~wakhan.report.write` puts the files in place.
"""

from wakhan.report.document import claims_json, how_to_cite, parameters, public_command
from wakhan.report.markdown import report_markdown
from wakhan.report.write import ROUTE_FILES, check_output_dir, write_report

__all__ = [
    "check_output_dir",
    "claims_json",
    "write_report",
    "report_markdown",
    "ROUTE_FILES",
    "parameters",
    "how_to_cite",
    "public_command",
]
