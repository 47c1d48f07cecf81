"""The ``stance`` command line: thin wrappers over library functions, in the style of
sqlite-utils (subcommands with help, ``--format``, one-line errors).

``app`` holds the group and shared options; ``scoring``, ``browse``, ``claims``, ``timelines`` and ``models`` add
the commands; ``defaults`` is the one place that knows the checkout's folders.
"""

from stance.cli import browse, claims, models, scoring, timelines  # noqa: F401  (registers the commands)
from stance.cli.app import cli


def main() -> None:
    cli()


__all__ = ["cli", "main"]
