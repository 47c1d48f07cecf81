"""Read PolNeAR attribution relations (BRAT standoff) into ``stance.data.Attribution`` objects.

PolNeAR (Newell, Margolin & Ruths, LREC 2018) marks each attribution as a source
("the senator"), a cue ("said") and a content ("the bill is dead"), as character spans
over ``<compartment>/text/<article>.txt`` in ``<compartment>/attributions/<article>_<annotator>.ann``.
Spans can be discontinuous ("“We will win,” he said, “in November.”" has two content
fragments), so every role is a tuple of fragments. Articles annotated by several
annotators are read once, from the annotator whose id sorts first, so that a split never
counts one article twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from stance.data import ROLES, Attribution, Span
from stance.errors import DataFormatError

_ROLE_OF_TYPE = {"Source": "source", "Cue": "cue", "Content": "content"}
_ANNOTATOR_SUFFIX = re.compile(r"_([0-9a-f]{4})\.ann$")
# A span's quoted text can hold newlines, so continuation lines are skipped: only lines
# that open with an id and a tab are annotations.
_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_EVENT = re.compile(r"^E\d+\t(.*)$")


@dataclass(frozen=True)
class AttributionDoc:
    """An article's text with its gold attribution relations."""

    name: str
    text: str
    relations: tuple[Attribution, ...]


def parse_ann(ann: str, where: str) -> tuple[Attribution, ...]:
    """Relations of one ``.ann`` file; ``where`` names the file in error messages."""
    spans: dict[str, tuple[str, tuple[Span, ...]]] = {}
    events: list[tuple[int, str]] = []
    for number, line in enumerate(ann.splitlines(), start=1):
        if match := _TEXT_BOUND.match(line):
            tid, kind, offsets = match.groups()
            try:
                fragments = tuple(Span(*map(int, part.split())) for part in offsets.split(";"))
            except (TypeError, ValueError) as exc:
                raise DataFormatError(f"bad span offsets {offsets!r} ({exc})", where, number) from exc
            spans[tid] = (kind, fragments)
        elif match := _EVENT.match(line):
            events.append((number, match.group(1)))
    relations = []
    for number, arguments in events:
        parts = arguments.split()
        roles: dict[str, list[Span]] = {role: [] for role in ROLES}
        for argument in parts:
            name, _, tid = argument.partition(":")
            role = _ROLE_OF_TYPE.get(name.rstrip("0123456789"))
            if role is None:
                continue
            if tid not in spans:
                raise DataFormatError(f"relation refers to unknown span {tid}", where, number)
            roles[role].extend(spans[tid][1])
        if roles["cue"] or roles["content"]:
            relations.append(Attribution(*(tuple(sorted(roles[role], key=lambda s: s.start)) for role in ROLES)))
    return tuple(relations)


def load_compartment(root: str | Path, compartment: str, limit: int | None = None) -> list[AttributionDoc]:
    """Articles of ``train``, ``dev`` or ``test`` with one annotator's relations each, by name."""
    root = Path(root) / compartment
    if not (root / "text").is_dir() or not (root / "attributions").is_dir():
        raise FileNotFoundError(f"no PolNeAR compartment at {root} (expected text/ and attributions/)")
    first_annotation: dict[str, Path] = {}
    for ann_path in sorted((root / "attributions").glob("*.ann")):
        article = _ANNOTATOR_SUFFIX.sub("", ann_path.name)
        first_annotation.setdefault(article, ann_path)
    docs = []
    for article in sorted(first_annotation)[:limit]:
        text_path = root / "text" / f"{article}.txt"
        text = text_path.read_text(encoding="utf-8")
        ann_path = first_annotation[article]
        docs.append(AttributionDoc(article, text, parse_ann(ann_path.read_text(encoding="utf-8"), str(ann_path))))
    return docs
