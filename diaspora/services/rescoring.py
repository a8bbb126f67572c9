"""Keep stored suggestions current after a committed change to a project or a profile.

The use cases that change what matching reads (profile saved or confirmed, project published,
edited or closed, account erased, file imported) call these after their commit. The change
itself stands: a failed rescore is logged and never turns the user's save into an error page;
`flask suggestions recompute` catches up later. The admin pages leave rescoring every project
to the outbox worker (`rescore_jobs`).
"""

from flask import current_app

from diaspora.extensions import db
from diaspora.services import project_alerts, saved_search_alerts, suggestions


def rescore_project(project_id: int) -> None:
    """Store the project's suggestions again after a committed change; never raises."""
    _safely(suggestions.refresh_project, project_id)


def announce_project(project_id: int) -> None:
    """Email the experts a newly published project fits (their alerts); never raises: the
    project is published whatever happens to its emails."""
    _safely(project_alerts.alert_experts, project_id)


def rescore_expert(expert_id: int) -> None:
    """Rescore the expert against every open project after a committed change, and tell the
    instant saved searches they newly match; never raises."""
    _safely(suggestions.refresh_expert, expert_id)
    _safely(saved_search_alerts.alert_instant, {expert_id})


def rescore_all(progress: suggestions.StageProgress | None = None) -> dict[str, int] | None:
    """Rescore every open project after a committed bulk change (an import); never raises.
    Returns what was stored (see `suggestions.recompute_all`), or None when rescoring failed.
    Instant saved searches then get one email each for every expert the change brought."""
    stored = _safely(suggestions.recompute_all, progress)
    alert_saved_searches()
    return stored


def alert_saved_searches() -> None:
    """Tell the instant saved searches the experts a bulk change brought; never raises."""
    _safely(saved_search_alerts.alert_instant)


def _safely(refresh, *args):
    try:
        return refresh(*args)
    except Exception:
        current_app.logger.exception("Rescoring %s%r failed", refresh.__name__, args)
        db.session.rollback()
        return None
