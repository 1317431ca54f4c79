"""What every kind's property test checks: a reason per refused line, and all the file or nothing."""

from sqlalchemy import func, select

from app.domain.dataimport import ERROR
from app.services.dataimport import ImportRefused, apply_plan, plan_import


def counts(session, models) -> tuple[int, ...]:
    """Return how many rows each model's table holds."""
    return tuple(session.scalar(select(func.count(model.id))) for model in models)


def assert_all_or_nothing(session, scope, kind, rows, mapping, models) -> None:
    """Plan ``rows`` and apply them in a savepoint: one report line each, and no partial write."""
    before = counts(session, models)
    plan = plan_import(session, scope, kind, rows, mapping)
    assert len(plan.results) == len(rows) - mapping.header_row - 1
    assert all(result.reasons for result in plan.results if result.action == ERROR)
    savepoint = session.begin_nested()
    try:
        apply_plan(session, scope, plan)
        assert not plan.has_errors
    except ImportRefused:
        assert plan.has_errors
        assert counts(session, models) == before
    finally:
        savepoint.rollback()
