"""Timelines: periods and rolling windows, credible intervals, wire-copy dedup, stance
shifts, the actor → target network and the HTML report (issue 14)."""
