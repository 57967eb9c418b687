"""Access rules of the half-year and yearly report (the reports area's start page has its own file)."""

from tests.access import STAFF, Rule

# Staff and the steering group read every area; a municipal worker their own municipality (the
# default area of the page); everyone else is refused.
READERS = STAFF | {"steering", "municipal"}

RULES = [
    Rule("reports.report", READERS),
    # Counting the figures again is open to whoever may read them (a municipal worker: their own area).
    Rule("reports.report_recount", READERS, method="POST"),
    Rule("reports.report_print", READERS),
    Rule("reports.report_xlsx", READERS),
    Rule("reports.report_chart", READERS, args=lambda user: {"section": "courses", "figure": "runs_held"}),
]
