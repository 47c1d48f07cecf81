"""The README's report screenshot: score the real reversal stories of data/shifts (dated
news excerpts with their addresses) into a fresh store, write the report and screenshot it.

Usage: python scripts/timelines/example_report.py [--out docs/report.html] [--png docs/report.png]

Needs Chromium (`apt-get install -y chromium`) for the screenshot.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from click.testing import CliRunner  # noqa: E402

from stance.cli import cli  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(PROJECT / "docs" / "report.html"))
    parser.add_argument("--png", default=str(PROJECT / "docs" / "report.png"))
    args = parser.parse_args(argv)
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as folder:
        articles = Path(folder) / "stories.jsonl"
        rows = [json.loads(line) for line in (PROJECT / "data" / "shifts" / "stories.jsonl").read_text(encoding="utf-8").splitlines()]
        articles.write_text("".join(
            json.dumps({"id": r["id"], "text": r["text"], "published": r["published"], "url": r["url"],
                        "source": urlparse(r["url"]).netloc}) + "\n" for r in rows), encoding="utf-8")
        db = Path(folder) / "stories.db"
        for command in (
            ["score", str(articles), "--db", str(db), "-q"],
            ["report", "--db", str(db), "--out", args.out, "--freq", "Q", "--actor", "Recep Tayyip Erdogan",
             "--actor", "Donald Trump", "--actor", "Rodrigo Duterte"],
        ):
            result = runner.invoke(cli, command)
            if result.exit_code != 0:
                print(result.output, file=sys.stderr)
                return 1
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("no chromium: report written, no screenshot", file=sys.stderr)
        return 0
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--screenshot={args.png}",
                    "--window-size=1200,1500", Path(args.out).resolve().as_uri()], check=True, capture_output=True, timeout=120)
    print(f"wrote {args.out} and {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
