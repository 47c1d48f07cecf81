"""The ``stance`` command group, its error handling and the options commands share.

Exit codes: 0 OK; 1 a user or config error (one line, no traceback); 2 bad usage
(click); 3 a batch finished but more records failed than ``max_failure_rate`` allows;
4 ``stance eval --check-gates`` found a quality gate of ``configs/eval.yaml`` failed.
"""

from __future__ import annotations

import copy
import logging
import sys
from collections.abc import Iterable

import click

from stance.errors import StanceError

EXIT_TOO_MANY_FAILURES = 3
EXIT_GATES_FAILED = 4

config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help="Pipeline config YAML (default: configs/pipeline.yaml).",
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar or log lines.")


def progress(quiet: bool, description: str):
    """A tqdm wrapper on a TTY, the identity elsewhere."""
    def wrap(items: Iterable):
        if quiet or not sys.stderr.isatty():
            return items
        from tqdm import tqdm

        return tqdm(items, desc=description, unit=" articles")
    return wrap


class StanceGroup(click.Group):
    """Turn errors into one-line messages with exit code 1: library errors as they are, an
    operating-system error with the file it names, and anything unexpected with its type
    (``--verbose`` shows the traceback instead)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, KeyboardInterrupt):
            raise
        except StanceError as exc:
            raise click.ClickException(one_line(str(exc))) from None
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(one_line(f"{where}{exc.strerror or exc}")) from None
        except Exception as exc:
            if logging.getLogger().isEnabledFor(logging.INFO):
                raise
            raise click.ClickException(
                one_line(f"unexpected {type(exc).__name__}: {exc} (rerun with --verbose for the traceback)")
            ) from None


def one_line(message: str) -> str:
    """``message`` on one line, without terminal control characters."""
    from stance.io.formatting import terminal_safe

    return terminal_safe(message)


@click.group(cls=StanceGroup)
@click.version_option(package_name="stance")
@click.option("--verbose", "-v", is_flag=True, help="Log progress details to stderr.")
def cli(verbose: bool) -> None:
    """Track who holds which stance on what in news articles, and how it changes."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


def add_alias(command: click.Command, name: str) -> None:
    """Register ``command`` under an old ``name`` too, hidden from the command list."""
    alias = copy.copy(command)
    alias.hidden = True
    cli.add_command(alias, name=name)


def echo_rows(rows: list[dict], output_format: str, columns: list[str], empty: str, table_rows=None) -> None:
    """Print ``rows`` as JSON, JSON lines or a table of ``columns`` (``table_rows`` flattens
    them for the table first); ``empty`` when a table would have no rows."""
    import json

    from stance.io.formatting import to_table

    if output_format == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif output_format == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif not rows:
        click.echo(empty)
    else:
        click.echo(to_table(table_rows(rows) if table_rows else rows, columns), nl=False)


def write_text_output(path: str, text: str) -> None:
    """Write ``text`` to ``path`` ("-": stdout); a path that cannot be written is a one-line error."""
    try:
        with click.open_file(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise StanceError(f"{path}: cannot write: {exc.strerror or exc}") from None


def iso_day(value: str | None, option: str) -> str | None:
    """A YYYY-MM-DD option's value, checked; a bad one is a one-line error naming the option."""
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise StanceError(f"{option} must be YYYY-MM-DD, got {value!r}") from None
