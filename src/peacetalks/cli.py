"""The `peacetalks` command line."""

from __future__ import annotations

import sys

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="peacetalks")
def main() -> None:
    """Validate, load, export and document the ukraine-peace-talks data package."""


@main.command()
@click.argument("descriptor", required=False, default="datapackage.json")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one line per problem, silent when valid; json: the same report for machines.")
def validate(descriptor: str, output: str) -> None:
    """Check the package at DESCRIPTOR (default ./datapackage.json) in five layers: descriptor,
    CSV structure, column types and dataset rules, keys, provenance (checksums, quotes, numbers).

    Prints every problem, one per line, located by file, line, id and column. Exits 0 when the
    package is valid, 1 when any problem is found, 2 on a usage error. Never modifies the package.
    """
    from .report import render_json, render_text
    from .validate import validate as run

    problems = run(descriptor)
    if output == "json":
        click.echo(render_json(problems, descriptor))
    elif problems:
        click.echo(render_text(problems))
    sys.exit(1 if problems else 0)
