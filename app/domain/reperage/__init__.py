"""Repérage: the tenders coming up, shared with a comité or a club des donneurs d'ordre."""

from app.domain.reperage.upcoming import UpcomingTender, build_upcoming_xlsx

__all__ = ["UpcomingTender", "build_upcoming_xlsx"]
