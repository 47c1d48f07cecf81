"""The ``stance`` command line: thin wrappers over library functions, in the style of
sqlite-utils (subcommands with help, ``--format``, one-line errors).

``app`` holds the group and shared options; ``scoring``, ``browse``, ``claims``, ``timelines`` and ``models`` add
the commands; ``defaults`` is the one place that knows the checkout's folders.
"""

from stance.cli import browse, claims, models, scoring, timelines  # noqa: F401  (registers the commands)
from stance.cli.app import cli


def main() -> None:
    quiet_library_warnings()
    cli()


def quiet_library_warnings() -> None:
    """Hide the deprecation notices libraries print on import or load (transformers,
    peft, torch, spaCy, Ray): they mean nothing to a user and break "errors are one line".
    A ``-W`` option or ``PYTHONWARNINGS`` still wins."""
    import sys
    import warnings

    if not sys.warnoptions:
        for category in (FutureWarning, DeprecationWarning, PendingDeprecationWarning):
            warnings.filterwarnings("ignore", category=category)
        warnings.filterwarnings("ignore", module=r"(transformers|peft|torch|spacy|thinc|ray|datasets)(\.|$)")


__all__ = ["cli", "main"]
