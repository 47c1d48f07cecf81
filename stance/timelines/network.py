"""The actor → target network: who takes which stance on whom, as weighted edges.

Edges count statements (``stance.aggregate.statements``, rolled up to the state or
organisation a speaker speaks for) per label toward each target named in the claim.
Discourse Network Analyzer users load these into visone or Gephi: GraphML and GEXF come
from networkx's writers, with one weight attribute per label.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime

from stance.aggregate import STANCE_LABELS, statements
from stance.data import Label, StanceRecord

LABELS = [label.value for label in STANCE_LABELS]


def actor_edges(
    records: Iterable[StanceRecord],
    principal: Callable[[str], str],
    name_of: Callable[[str], str],
    since: str | None = None,
    until: str | None = None,
) -> list[dict]:
    """``{actor_id, actor_name, target_id, target_name, support, critical, neutral, deny,
    total, dominant}`` per actor → target pair, heaviest first; ``since``/``until`` are
    inclusive ISO dates."""
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(LABELS, 0))
    for record in statements(_within(records, since, until), actor_of=principal):
        if record.label is Label.NONE:
            continue
        actor = principal(record.actor_id)
        for target in {principal(t) for t in record.targets} - {actor}:
            counts[(actor, target)][record.label.value] += 1
    edges = []
    for (actor, target), row in counts.items():
        total = sum(row.values())
        edges.append({
            "actor_id": actor, "actor_name": name_of(actor), "target_id": target, "target_name": name_of(target),
            **row, "total": total, "dominant": max(LABELS, key=lambda label: row[label]),
        })
    return sorted(edges, key=lambda e: (-e["total"], e["actor_id"], e["target_id"]))


def _within(records, since, until):
    for record in records:
        day = record.published.date().isoformat() if isinstance(record.published, datetime) else None
        if since and (day is None or day < since):
            continue
        if until and (day is None or day > until):
            continue
        yield record


def to_graph(edges: list[dict]):
    import networkx as nx

    graph = nx.DiGraph()
    for edge in edges:
        graph.add_node(edge["actor_id"], label=edge["actor_name"])
        graph.add_node(edge["target_id"], label=edge["target_name"])
        graph.add_edge(edge["actor_id"], edge["target_id"], weight=edge["total"], dominant=edge["dominant"],
                       **{label: edge[label] for label in LABELS})
    return graph


def write_network(edges: list[dict], output_format: str) -> str:
    """The network as GraphML or GEXF text."""
    import networkx as nx

    buffer = io.BytesIO()
    writer = {"graphml": nx.write_graphml, "gexf": nx.write_gexf}[output_format]
    writer(to_graph(edges), buffer)
    return buffer.getvalue().decode("utf-8")
