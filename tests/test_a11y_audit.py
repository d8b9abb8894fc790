"""Accessibility audit of the HTML edition (tools/html_edition.py) with axe-core in Chromium.

Every page (contents + one per chapter, built from the notebooks' stored outputs) is opened from
disk in headless Chromium (Playwright), axe-core is injected and run with the WCAG 2.0 / 2.1 level
A and AA rules (tags wcag2a, wcag2aa, wcag21a, wcag21aa). A page passes with zero violations; a
failure lists each rule, the elements (CSS selectors) and axe's message.

Needs: Chromium (Debian `chromium`, or CNNLIB_CHROMIUM), the packages in requirements-browser.txt
and requirements-a11y.txt, and axe-core from npm (pinned in tests/a11y/package.json):

    .ci/setup-a11y        # or: (cd tests/a11y && npm ci)

Without them the test is skipped with the reason, except when CNNLIB_REQUIRE_A11Y=1 (set by .ci/run):
then it fails. The page may not fetch anything from the network (MathJax / require.js CDN requests
are blocked), so the audit is the same offline and online.
"""
import os
from pathlib import Path

import pytest

from test_browser import CHROMIUM_ARGS, find_chromium

ROOT = Path(__file__).resolve().parent.parent
AXE = Path(os.environ.get("CNNLIB_AXE", ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"))
REQUIRED = os.environ.get("CNNLIB_REQUIRE_A11Y", "") == "1"
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
JS_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), message: n.failureSummary}))}));
}"""


def missing_reason():
    """Why the audit cannot run here, or None."""
    reasons = []
    for module, requirement in (("playwright", "requirements-browser.txt"), ("a11y_pygments", "requirements-a11y.txt")):
        try:
            __import__(module)
        except ImportError:
            reasons.append(f"the {module} package is missing (.venv/bin/python -m pip install -r {requirement})")
    if find_chromium() is None:
        reasons.append("no Chromium (apt-get install -y chromium fonts-dejavu-core, or set CNNLIB_CHROMIUM)")
    if not AXE.is_file():
        reasons.append(f"axe-core not found at {AXE.relative_to(ROOT) if AXE.is_relative_to(ROOT) else AXE} "
                       "(run .ci/setup-a11y, or: cd tests/a11y && npm ci)")
    return "; ".join(reasons) or None


def require_audit_tools():
    reason = missing_reason()
    if reason is None:
        return
    if REQUIRED:
        pytest.fail(f"accessibility audit required (CNNLIB_REQUIRE_A11Y=1) but {reason}", pytrace=False)
    pytest.skip(f"accessibility audit skipped: {reason}")


def format_violations(violations):
    """One block per rule: rule id, impact, help, then each element and axe's message."""
    lines = []
    for v in violations:
        lines.append(f"rule {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:10]:
            message = " ".join(node["message"].split())
            lines.append(f"    element {node['target']}: {message}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more elements")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    require_audit_tools()
    from tools.html_edition import build
    dest = tmp_path_factory.mktemp("html_edition")
    build(dest)
    return dest


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def audit(browser, path):
    """axe-core's WCAG A/AA violations on one page opened from disk (no network)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                   else route.abort())
        page.goto(path.as_uri(), wait_until="load")
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        return page.evaluate(JS_AXE, WCAG_TAGS)
    finally:
        page.close()


def test_missing_tools_skip_or_fail_when_required(monkeypatch):
    """Without axe-core the audit is skipped with the reason, or fails under CNNLIB_REQUIRE_A11Y=1."""
    import test_a11y_audit as me
    monkeypatch.setattr(me, "AXE", ROOT / "no" / "axe.min.js")
    for required, outcome in ((False, pytest.skip.Exception), (True, pytest.fail.Exception)):
        monkeypatch.setattr(me, "REQUIRED", required)
        with pytest.raises(outcome, match="axe-core not found"):
            me.require_audit_tools()


def test_report_names_rule_element_and_message():
    report = format_violations([{"id": "color-contrast", "impact": "serious", "help": "Elements must meet "
                                 "minimum color contrast ratio thresholds",
                                 "nodes": [{"target": ".jp-InputPrompt", "message": "Fix any of the following:\n"
                                            "  Element has insufficient color contrast of 2.2"}]}])
    assert "rule color-contrast (serious)" in report
    assert "element .jp-InputPrompt: Fix any of the following: Element has insufficient color contrast of 2.2" in report


def test_audit_finds_violations_on_a_bad_page(browser, tmp_path):
    """The harness itself: a page with a grey-on-white prompt and an image without alt fails."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html lang='en'><head><title>bad</title></head><body><main>"
                   "<h1>Bad</h1><p style='color:#b0b0b0'>In [1]:</p>"
                   "<img src='data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                   "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='></main></body></html>")
    rules = {v["id"] for v in audit(browser, bad)}
    assert {"color-contrast", "image-alt"} <= rules


@pytest.mark.parametrize("name", ["index.html"] + [p.stem + ".html" for p in CHAPTERS])
def test_html_edition_page_has_no_wcag_violations(name, site, browser):
    violations = audit(browser, site / name)
    assert not violations, f"{name}: {len(violations)} WCAG 2.1 A/AA rules violated\n" + format_violations(violations)
