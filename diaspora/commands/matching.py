"""`flask match` (the interchange contract) and `flask suggestions recompute`."""

import json
import sys
from contextlib import ExitStack, contextmanager

import click
from flask import Flask
from flask.cli import AppGroup

suggestions_cli = AppGroup("suggestions", help="Stored suggestions of the matching engine.")


@click.command("match")
@click.argument("project_ref", required=False)
@click.option("--all", "all_projects", is_flag=True, help="Every open project, one line each.")
@click.option(
    "--top",
    "top",
    default=10,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="At most this many experts per project.",
)
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
            click.echo(
                f"  {rank:>3}. {m['expert']:<12} {m['score']:.3f}"
                + (f"  missing: {missing}" if missing else "")
            )
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


RESCORING_STAGES = {"embed": "Embedding profile texts", "rank": "Ranking open projects"}


@contextmanager
def stage_bars(labels: dict[str, str]):
    """A `progress(stage, done, total)` for a use case that works in stages: one progress bar
    on stderr per stage, labelled from `labels`, each finished when the next one starts."""
    with ExitStack() as stack:
        shown = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in shown:
                stack.close()  # the previous stage is over
                bar = click.progressbar(length=max(total, 1), label=labels[stage], file=sys.stderr)
                shown[stage] = stack.enter_context(bar)
            bar = shown[stage]
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        yield progress


def rescored_line(result: dict[str, int]) -> str:
    """The summary of a rescoring, as the commands print it."""
    return f"{result['projects']} projects, {result['suggestions']} suggestions stored"


def recompute_with_progress() -> None:
    """Rescore every open project, with progress bars on stderr and a summary line."""
    from diaspora.services import suggestions

    with stage_bars(RESCORING_STAGES) as progress:
        result = suggestions.recompute_all(progress)
    click.echo(rescored_line(result))


@suggestions_cli.command("recompute")
def recompute() -> None:
    """Rescore every open project against every expert and store the suggestions."""
    recompute_with_progress()


def register(app: Flask) -> None:
    app.cli.add_command(match)
    app.cli.add_command(suggestions_cli)
