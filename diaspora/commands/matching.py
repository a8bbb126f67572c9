"""`flask match` (the interchange contract) and `flask suggestions recompute`."""

import json
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

suggestions_cli = AppGroup("suggestions", help="Stored suggestions of the matching engine.")
matching_cli = AppGroup("matching", help="The matching engine's weights.")
DEV_SET = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "matching-dev"


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


@matching_cli.command("learn-weights")
@click.option(
    "--labelled-set",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEV_SET,
    show_default=True,
    help="Folder of experts.jsonl, projects.jsonl and qrels.json (nDCG@10 before and after).",
)
@click.option(
    "--holdout",
    type=click.FloatRange(0.05, 0.5),
    default=0.2,
    show_default=True,
    help="Share of the newest decisions held out to measure the weights.",
)
def learn_weights(labelled_set: Path, holdout: float) -> None:
    """Fit the factor weights to reviewers' and experts' decisions and propose them (an admin
    adopts or refuses them on /admin/weights; nothing changes before)."""
    from diaspora.services import weight_learning

    command = f"flask matching learn-weights --labelled-set {labelled_set} --holdout {holdout}"
    try:
        proposed = weight_learning.learn(labelled_set, holdout, command, click.echo)
    except weight_learning.CannotLearn as e:
        raise click.ClickException(str(e)) from None
    m = proposed.measurements

    def figure(value: float | None) -> str:
        return "   n/a" if value is None else f"{value:6.3f}"

    click.echo(f"{'':28} {'before':>6} {'after':>6}")
    for label, key in (
        (f"held-out AUC ({m['held_out']} decisions)", "held_out_auc"),
        (f"fit AUC ({m['fitted_on']} decisions)", "fit_auc"),
        ("dev nDCG@10", "dev_ndcg_at_10"),
    ):
        click.echo(f"{label:28} {figure(m[key]['before'])} {figure(m[key]['after'])}")
    click.echo(f"{'factor':28} {'before':>6} {'after':>6}")
    for factor, weight in proposed.weights.items():
        click.echo(f"{factor:28} {m['weights_before'][factor]:6.3f} {weight:6.3f}")
    click.echo(
        f"Weight set {proposed.version} proposed: an admin adopts or refuses it on "
        "/admin/weights (a set that lowers dev nDCG@10 cannot be adopted)."
    )


def register(app: Flask) -> None:
    app.cli.add_command(match)
    app.cli.add_command(suggestions_cli)
    app.cli.add_command(matching_cli)
