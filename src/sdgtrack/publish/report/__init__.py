"""Printable documents for reviews: the country profile, the statistical annex of a
Voluntary National Review and the regional progress report. Each is a function of the store
(or of its ``SiteData``, whose cached assessment it then reuses) that returns the document's
bytes; the ``write_*`` functions put a document in a file for the CLI.

PDF is written with WeasyPrint, which needs Pango from the system; HTML (the PDF's exact
source) and Excel do not."""

from sdgtrack.publish.report.annex import vnr_annex
from sdgtrack.publish.report.country import country_profile
from sdgtrack.publish.report.files import (
    write_country_profile,
    write_regional_report,
    write_vnr_annex,
)
from sdgtrack.publish.report.region import regional_report

__all__ = [
    "country_profile",
    "regional_report",
    "vnr_annex",
    "write_country_profile",
    "write_regional_report",
    "write_vnr_annex",
]
