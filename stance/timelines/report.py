"""`stance report`: one self-contained HTML file per store (no network: plotly.js inlined).

Per actor: the stance-share timeline with 90% intervals and shift markers, the evidence
behind each point (claims, articles, links), the actor → target network and the top
tracked claims with who asserts and who denies. Every string from the store goes through
``html.escape`` (and plotly escapes ``<``, ``>`` and ``/`` in figure JSON), so a
``<script>`` in an article is shown, never run; only http(s) links are linked.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from stance.aggregate import STANCE_LABELS
from stance.data import TimelinePoint
from stance.timelines.periods import period_of
from stance.timelines.shifts import Shift

COLOURS = {"support": "#1b9e77", "critical": "#d95f02", "neutral": "#7570b3", "deny": "#e7298a"}


@dataclass
class ActorSection:
    """What the report shows for one actor."""

    actor_id: str
    name: str
    points: list[TimelinePoint]
    shifts: list[Shift]
    edges: list[dict]
    claims: list[dict]
    links: dict[str, str] = field(default_factory=dict)  # article id -> url
    freq: str = "M"


def render_report(sections: list[ActorSection], title: str, subtitle: str) -> str:
    """The whole HTML page."""
    from plotly.offline import get_plotlyjs

    body = [f"<h1>{_e(title)}</h1>", f"<p class='sub'>{_e(subtitle)}</p>"]
    if not sections:
        body.append("<p>No stances in this selection.</p>")
    body.append("<nav>" + " · ".join(f"<a href='#{_anchor(s.actor_id)}'>{_e(s.name)}</a>" for s in sections) + "</nav>")
    for index, section in enumerate(sections):
        body.append(_section(section, index))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_e(title)}</title><style>{_CSS}</style>"
        f"<script>{get_plotlyjs()}</script></head><body>" + "\n".join(body) + "</body></html>"
    )


def _section(section: ActorSection, index: int) -> str:
    parts = [f"<section id='{_anchor(section.actor_id)}'><h2>{_e(section.name)}</h2>"]
    parts.append("<h3>Stance shares over time (90% intervals; dashed lines: shifts)</h3>")
    parts.append(_timeline_chart(section, f"timeline-{index}"))
    if section.shifts:
        parts.append("<ul class='shifts'>" + "".join(
            f"<li>{_e(s.at.isoformat())}: {_e(s.from_label)} → {_e(s.to_label)} (last before {_e(s.last_before.isoformat())}, "
            f"first after {_e(s.first_after.isoformat())}, score {s.score})</li>" for s in section.shifts) + "</ul>")
    parts.append("<h3>Who this actor takes positions on</h3>")
    parts.append(_network_chart(section, f"network-{index}") if section.edges else "<p>No targets.</p>")
    parts.append("<h3>Top tracked claims</h3>")
    parts.append(_claims_table(section))
    parts.append("<h3>Evidence behind each point</h3>")
    parts.append(_evidence_table(section))
    return "\n".join(parts) + "</section>"


def _timeline_chart(section: ActorSection, div_id: str) -> str:
    import plotly.graph_objects as go

    figure = go.Figure()
    periods = [p.period for p in section.points]
    for label in (label.value for label in STANCE_LABELS):
        shares = [p.counts[label] / p.n if p.n else 0.0 for p in section.points]
        low = [max(0.0, share - p.intervals[label][0]) for share, p in zip(shares, section.points)]
        high = [max(0.0, p.intervals[label][1] - share) for share, p in zip(shares, section.points)]
        figure.add_trace(go.Scatter(
            x=periods, y=shares, name=label, mode="lines+markers", line={"color": COLOURS[label]},
            error_y={"type": "data", "symmetric": False, "array": high, "arrayminus": low, "thickness": 1},
            customdata=[[p.n, p.dominant.value if p.dominant else "unclear"] for p in section.points],
            hovertemplate="%{x}: %{y:.2f} of %{customdata[0]} statements (dominant: %{customdata[1]})<extra>" + label + "</extra>",
        ))
    for shift in section.shifts:
        period = _nearest_period(periods, period_of(shift.at, section.freq))
        if period is not None:
            figure.add_vline(x=period, line_dash="dash", line_color="#444")
    figure.update_layout(height=320, margin={"l": 40, "r": 10, "t": 10, "b": 40}, yaxis={"range": [0, 1], "title": "share"})
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id)


def _network_chart(section: ActorSection, div_id: str) -> str:
    import math

    import plotly.graph_objects as go

    edges = section.edges[:15]
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=[0], y=[0], mode="markers+text", text=[_e(section.name)], textposition="top center",
                                marker={"size": 18, "color": "#333"}, hoverinfo="text", showlegend=False))
    for i, edge in enumerate(edges):
        angle = 2 * math.pi * i / len(edges)
        x, y = math.cos(angle), math.sin(angle)
        label = edge["dominant"]
        figure.add_trace(go.Scatter(x=[0, x], y=[0, y], mode="lines", line={"width": 1 + math.log1p(edge["total"]), "color": COLOURS.get(label, "#999")},
                                    hoverinfo="skip", showlegend=False))
        counts = ", ".join(f"{name} {edge[name]}" for name in COLOURS if edge[name])
        figure.add_trace(go.Scatter(x=[x], y=[y], mode="markers+text", text=[_e(edge["target_name"])], textposition="top center",
                                    marker={"size": 10, "color": COLOURS.get(label, "#999")}, hovertext=[_e(counts)], hoverinfo="text",
                                    showlegend=False))
    figure.update_layout(height=360, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                         xaxis={"visible": False, "range": [-1.4, 1.4]}, yaxis={"visible": False, "range": [-1.3, 1.3]})
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id)


def _claims_table(section: ActorSection) -> str:
    if not section.claims:
        return "<p>No tracked claims with this actor's position.</p>"
    rows = []
    for claim in section.claims:
        stands = "; ".join(f"{_e(p['actor_name'])} <b>{_e(p['position'])}</b> ({p['n']})" for p in claim["positions"])
        rows.append(f"<tr><td>{claim['claim_id']}</td><td>{_e(claim['text'])}</td><td>{claim['n_articles']}</td><td>{stands}</td></tr>")
    return "<table><tr><th>id</th><th>claim</th><th>articles</th><th>positions</th></tr>" + "".join(rows) + "</table>"


def _evidence_table(section: ActorSection) -> str:
    rows = []
    for point in section.points:
        items = []
        for ref in point.evidence[:5]:
            url = section.links.get(ref.article_id) or ""
            article = _e(ref.article_id)
            if url.startswith(("http://", "https://")):
                article = f"<a href='{_e(url)}' rel='noopener noreferrer'>{article}</a>"
            items.append(f"<li><span class='label {_e(ref.label.value)}'>{_e(ref.label.value)}</span> {_e(ref.claim_text)} <i>({article})</i></li>")
        more = f"<li>… and {len(point.evidence) - 5} more</li>" if len(point.evidence) > 5 else ""
        dominant = point.dominant.value if point.dominant else "unclear"
        rows.append(f"<tr><td>{_e(point.period)}</td><td>{_e(dominant)}</td><td>{point.n}</td><td>{point.outlets}</td>"
                    f"<td><ul>{''.join(items)}{more}</ul></td></tr>")
    return "<table><tr><th>period</th><th>dominant</th><th>n</th><th>articles</th><th>claims</th></tr>" + "".join(rows) + "</table>"


def _nearest_period(periods: list[str], period: str) -> str | None:
    """The shift's own period, or the last one before it that has points."""
    earlier = [p for p in periods if p <= period]
    return earlier[-1] if earlier else (periods[0] if periods else None)


def _anchor(actor_id: str) -> str:
    return "actor-" + "".join(c if c.isalnum() else "-" for c in actor_id)


def _e(text) -> str:
    return html.escape(str(text), quote=True)


_CSS = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
h1{margin-bottom:0}.sub{color:#666}section{border-top:1px solid #ccc;margin-top:2em}
table{border-collapse:collapse;width:100%;font-size:0.9em}td,th{border-bottom:1px solid #eee;padding:4px;vertical-align:top;text-align:left}
ul{margin:0;padding-left:1.2em}.label{font-weight:bold}.support{color:#1b9e77}.critical{color:#d95f02}.neutral{color:#7570b3}.deny{color:#e7298a}
nav a{margin-right:0.5em}
"""
