"""`flask match` (the interchange contract) and `flask suggestions recompute`."""

import json
import sys

import click
from flask import Flask
from flask.cli import AppGroup

suggestions_cli = AppGroup("suggestions", help="Stored suggestions of the matching engine.")


@click.command("match")
@click.argument("project_ref", required=False)
@click.option("--all", "all_projects", is_flag=True, help="Every open project, one line each.")
@click.option("--top", "top", default=10, show_default=True, type=click.IntRange(1, 1000),
              help="At most this many experts per project.")
@click.option("--json", "as_json", is_flag=True, help="JSON output (see interchange.md).")
def match(project_ref: str | None, all_projects: bool, top: int, as_json: bool) -> None:
    """Rank experts for PROJECT_REF, or for every open project with --all."""
    from diaspora.services import suggestions

    if bool(project_ref) == all_projects:
        raise click.UsageError("Give a PROJECT_REF or --all, not both.")
    found = False
    for project, ranked in suggestions.rank_projects(None if all_projects else [project_ref], top):
        found = True
        result = _interchange(project, ranked)
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
            continue
        click.echo(f"{result['project']}: {len(result['matches'])} experts")
        for rank, m in enumerate(result["matches"], 1):
            missing = ", ".join(m["explanation"].get("missing", [])[:3])
            click.echo(f"  {rank:>3}. {m['expert']:<12} {m['score']:.3f}"
                       + (f"  missing: {missing}" if missing else ""))
    if not found and project_ref:
        raise click.ClickException(f"No project with ref {project_ref}.")


def _interchange(project, ranked) -> dict:
    """One project's ranking as a line of `flask match` output (shared/interchange.md)."""
    return {
        "project": project.ref,
        "matches": [
            {"expert": s.ref, "score": round(float(s.score), 6), "explanation": s.explanation}
            for s in ranked
        ],
    }


def _bar(label: str):
    return click.progressbar(length=1, label=label, file=sys.stderr)


def _follow(bar):
    def progress(done: int, total: int) -> None:
        bar.length = total
        bar.update(done - bar.pos)

    return progress


def recompute_with_progress() -> None:
    """Rescore every open project, with progress bars on stderr and a summary line."""
    from diaspora.services import suggestions

    with _bar("Embedding profile texts") as bar:
        suggestions.embed_stale_profiles(_follow(bar))
    with _bar("Ranking open projects") as bar:
        result = suggestions.recompute_all(_follow(bar))
    click.echo(f"{result['projects']} projects, {result['suggestions']} suggestions stored")


@suggestions_cli.command("recompute")
def recompute() -> None:
    """Rescore every open project against every expert and store the suggestions."""
    recompute_with_progress()


def register(app: Flask) -> None:
    app.cli.add_command(match)
    app.cli.add_command(suggestions_cli)
