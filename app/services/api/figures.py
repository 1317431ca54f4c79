"""The one door through which the API reads figures (hours required and done, indicators).

Every figure the API serves comes from ``scope_figures``. Today it asks the dashboard service,
so the API and the dashboard pages agree; when the indicators module (issue #21) lands, this
function is the only place to repoint.
"""

from datetime import date

from sqlalchemy.orm import Session

from app.services.reports.dashboards import Dashboard, build_dashboard
from app.services.reports.exports import ReportFilter


def scope_figures(session: Session, flt: ReportFilter, *, today: date) -> Dashboard:
    """Return the figures of the lots a filter covers, measured on ``today``."""
    return build_dashboard(session, flt, title="", today=today)
