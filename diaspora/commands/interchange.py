"""`flask import` and `flask export`: experts and projects in the interchange formats."""

import click
from flask import Flask

KIND = click.Choice(["experts", "projects"])


@click.command("import")
@click.argument("kind", type=KIND)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_file(kind: str, path: str) -> None:
    """Import KIND from PATH (.jsonl or .csv, shared/interchange.md), then rescore the open
    projects. Exit status 1 when a line was rejected (the other lines are imported all the
    same) or rescoring failed."""
    import sys

    from diaspora.commands.matching import RESCORING_STAGES, rescored_line, stage_bars
    from diaspora.services.imports import import_and_rescore

    with stage_bars({"import": f"Importing {kind}", **RESCORING_STAGES}) as progress:
        try:
            report = import_and_rescore(path, kind, progress=progress)
        except ValueError as e:  # a file name that says neither .jsonl nor .csv
            raise click.ClickException(str(e)) from e
    said = [(line, "; ".join(reasons)) for line, reasons in report.rejected] + report.notes
    for line, text in sorted(said):
        click.echo(f"line {line}: {text}")
    click.echo(
        f"{kind}: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.rejected)} rejected"
    )
    if report.rescored is not None:
        click.echo(rescored_line(report.rescored))
    if report.rescore_failed:
        click.echo("Rescoring failed (see the log above): run `flask suggestions recompute`.")
    if report.rejected or report.rescore_failed:
        sys.exit(1)


@click.command("export")
@click.argument("kind", type=KIND)
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_file(kind: str, path: str) -> None:
    """Export KIND to PATH, as JSON Lines or CSV after its extension."""
    from diaspora.services.imports import export_records

    try:
        count = export_records(kind, path)
    except ValueError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"{count} {kind} written to {path}")


def register(app: Flask) -> None:
    app.cli.add_command(import_file)
    app.cli.add_command(export_file)
