"""The HTML report in a real browser (headless Chromium via playwright): it loads with no
console errors, every chart renders, and a script inside an article's text never runs.

Chromium comes from Debian's `chromium` package; the fixture installs it when it is missing
and the tests run as root (CI), and skips with the reason otherwise.
"""

import os
import shutil
import subprocess

from dataclasses import replace
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.io.store import StanceStore
from tests.claims.test_tracker import WordEncoder, article

PAYLOAD = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], capture_output=True, timeout=900)
        return shutil.which("chromium")
    return None


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed and cannot be installed here: run `apt-get install -y chromium` as root")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    from stance.claims.tracking import track_claims
    from stance.config import ClaimsConfig

    folder = tmp_path_factory.mktemp("report")
    db = folder / "s.db"
    with StanceStore(db) as store:
        for day in range(1, 7):
            claims = [("China", "denied", f"the talks failed {PAYLOAD}"), ("Russia", "said", "the talks will resume in April")]
            written = article(f"a{day}", day, claims)
            # Each holder speaks about the other: the network has an edge each way.
            targeted = [
                replace(claim, stances=tuple(replace(s, targets=("russia" if s.actor_id == "china" else "china",)) for s in claim.stances))
                for claim in written.claims
            ]
            url = f"https://example.org/{day}" if day < 6 else "javascript:window.__pwned = 3"
            store.save_article(replace(written, claims=tuple(targeted), url=url))
        track_claims(store, WordEncoder(), ClaimsConfig(alpha=1.0, threshold=0.8))
    path = folder / "report.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "--out", str(path), "--freq", "D"])
    assert result.exit_code == 0, result.output
    return path


class Tags(HTMLParser):
    """Tags with their attributes (script bodies are not parsed as markup)."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_report_is_self_contained_and_escapes_article_text(report_file):
    text = report_file.read_text(encoding="utf-8")
    parser = Tags()
    parser.feed(text)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts and not any("src" in attrs for attrs in scripts)  # plotly.js is inlined, nothing is fetched
    assert not any(tag in ("link", "iframe", "img") for tag, _ in parser.tags)
    assert PAYLOAD not in text and "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in text
    links = [attrs["href"] for tag, attrs in parser.tags if tag == "a" and attrs.get("href", "").startswith("http")]
    assert "https://example.org/1" in links and "javascript" not in " ".join(a.get("href", "") for _, a in parser.tags)


def test_report_renders_every_chart_and_runs_no_injected_script(browser, report_file):
    page = browser.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(report_file.as_uri())
    page.wait_for_load_state("load")
    charts = page.locator("div.plotly-graph-div")
    assert charts.count() == 4  # China and Russia: a timeline and a network each
    for index in range(charts.count()):
        svg = charts.nth(index).locator("svg.main-svg").first
        assert svg.is_visible() and len(svg.inner_html()) > 1000
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned = 1</script>" in page.inner_text("body")
    assert errors == []
    page.close()
