"""Keep stored suggestions current: rescore when a project or a profile changes."""

from flask import Flask, current_app

from diaspora.services import suggestions


def on_project_changed(project, **_details) -> None:
    _safely(suggestions.refresh_project, project.id)


def on_profile_changed(profile, **_details) -> None:
    _safely(suggestions.refresh_expert, getattr(profile, "id", profile))


def _safely(refresh, object_id: int) -> None:
    # The change itself is committed; a failed rescore must not turn the user's save into an
    # error page. `flask suggestions recompute` catches up later.
    try:
        refresh(object_id)
    except Exception:
        current_app.logger.exception("Rescoring %s(%s) failed", refresh.__name__, object_id)
        from diaspora.extensions import db

        db.session.rollback()


def connect(app: Flask) -> None:
    """Subscribe to the change signals of the profile and project services."""
    from diaspora.services import experts, projects

    projects.project_changed.connect(on_project_changed)
    experts.profile_changed.connect(on_profile_changed)
