"""`sysdesign checklist`: the Markdown task list and the HTML page, escaped, and in a browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_rubric_helpers import RUBRICS, build, practice_data, project, report, write_design
from typer.testing import CliRunner

from sysdesign.cli import app
from sysdesign.rubric import evaluate, load_rubric
from sysdesign.rubric.checklist import Diagram, md_escape, render_checklist

runner = CliRunner()
HOSTILE = '<script>alert("x")</script> & [link](javascript:alert(1)) *bold* `code` | pipe'


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SYSDESIGN_ROOT", str(project(tmp_path)))
    return tmp_path


def _render(data: dict, diagram: Diagram | None = None) -> tuple[str, str]:  # type: ignore[type-arg]
    design = build(data)
    rubric = load_rubric("general", RUBRICS)
    evaluation = evaluate(design, rubric, len(design.stages), {len(design.stages): report()})
    return render_checklist(evaluation, diagram or Diagram(problem="no diagram in this test"))


def test_auto_items_are_marked_with_evidence() -> None:
    markdown, html = _render(practice_data())
    assert "- [x] Back-of-envelope estimates are written with their derivations." in markdown
    assert "  - evidence: 1 estimates \\(peak qps\\)" not in markdown  # parentheses stay readable
    assert "  - evidence: 1 estimates (peak qps), 1 with a derivation" in markdown
    assert "- [ ] Stated what breaks first at 10x before being asked. _(judge yourself" in markdown
    assert re.search(
        r'<li class="item pass" id="item-estimates-written">\s*<input type="checkbox"'
        r' id="cb-estimates-written" checked disabled>',
        html,
    )
    assert '<li class="item self" id="item-ten-x">' in html


def test_user_text_is_escaped() -> None:
    d = practice_data()
    d["title"] = HOSTILE
    d["prompt"] = HOSTILE
    d["stages"][0]["title"] = HOSTILE
    markdown, html = _render(d)
    assert "<script>" not in html and "<script>" not in markdown
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; [link]" in html
    assert '# Checklist: &lt;script&gt;alert("x")&lt;/script&gt; &amp; \\[link\\]' in markdown
    assert "\\*bold\\* \\`code\\` \\| pipe" in markdown
    assert md_escape("a\nb  c") == "a b c"


def test_mermaid_fence_cannot_be_closed_by_the_diagram() -> None:
    markdown, _ = _render(practice_data(), Diagram(mermaid="flowchart LR\n  a[```]"))
    assert "````mermaid\nflowchart LR\n  a[```]\n````" in markdown


def test_command_writes_both_files(root: Path) -> None:
    design = write_design(root / "designs", practice_data())
    result = runner.invoke(app, ["checklist", str(design)])
    assert result.exit_code == 0, result.output
    out = root / "renders" / "practice"
    markdown = (out / "checklist.md").read_text(encoding="utf-8")
    html = (out / "checklist.html").read_text(encoding="utf-8")
    assert "```mermaid" in markdown
    if shutil.which("dot"):
        assert 'src="data:image/svg+xml;base64,' in html
        assert 'alt="Overview of' in html and 'href="checklist.full.svg"' in html
        full = (out / "checklist.full.svg").read_bytes()
        assert full.startswith(b"<?xml") and b'class="node"' in full  # the full view, linked
    assert "as of stage 1 of 1: More traffic" in markdown
    other = root / "elsewhere"
    result = runner.invoke(app, ["checklist", str(design), "--stage", "0", "--out", str(other)])
    assert result.exit_code == 0, result.output
    assert "base design (1 stages)" in (other / "checklist.md").read_text(encoding="utf-8")


def test_command_on_an_invalid_design(root: Path) -> None:
    bad = root / "bad.yaml"
    bad.write_text(
        "id: bad\ntitle: B\nprompt: p\nscale: {peak_qps: 1}\nslo: {p99_latency_ms: 1}\n"
        "components:\n  - {id: a, kind: servce}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["checklist", str(bad)])
    assert result.exit_code == 2
    assert "bad.yaml:7:19: error: unknown kind 'servce'; did you mean 'service'?" in result.output


# --- the page in a real browser -----------------------------------------------------------------

PROBE = """<script>
window.addEventListener("load", () => {
  const shown = (el) => {
    if (!el) return "missing";
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 50 && box.height > 50 && style.visibility !== "hidden"
      && style.display !== "none" ? "visible" : "hidden";
  };
  const img = document.querySelector("#diagram img");
  const body = document.body;
  body.dataset.diagram = shown(img);
  body.dataset.diagramLoaded = img && img.complete && img.naturalWidth > 0 ? "yes" : "no";
  body.dataset.checklist = shown(document.querySelector("#checklist"));
  body.dataset.items = document.querySelectorAll("#checklist li.item").length;
  body.dataset.checked = document.querySelectorAll("#checklist input:checked").length;
});
</script>"""


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed (required when CI is set)")
    pytest.skip("chromium is not installed")
    return None


def _browser(exe: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            f"--user-data-dir={tmp / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_page_in_headless_chromium(root: Path) -> None:
    exe = _chromium()
    if not shutil.which("dot"):
        pytest.skip("Graphviz is needed for the SVG diagram")
    design = write_design(root / "designs", practice_data())
    result = runner.invoke(app, ["checklist", str(design), "--out", str(root / "out")])
    assert result.exit_code == 0, result.output
    page = (root / "out" / "checklist.html").read_text(encoding="utf-8")
    # The page itself has no scripts (its CSP forbids them); the probe copy adds one to measure.
    probe = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    probe = probe.replace("</body>", PROBE + "</body>")
    probe_file = root / "probe.html"
    probe_file.write_text(probe, encoding="utf-8")
    done = _browser(exe, root, "--virtual-time-budget=5000", "--dump-dom", probe_file.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    body = re.search(r"<body([^>]*)>", done.stdout)
    assert body, done.stdout[:2000]
    attrs = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(1)))
    rubric = load_rubric("general", RUBRICS)
    assert attrs["diagram"] == "visible"
    assert attrs["diagram-loaded"] == "yes"
    assert attrs["checklist"] == "visible"
    assert int(attrs["items"]) == len(rubric.items)
    assert int(attrs["checked"]) > 0
    # The unmodified page renders too: a screenshot with more than a blank background.
    shot = root / "shot.png"
    done = _browser(
        exe,
        root,
        "--window-size=1200,1600",
        f"--screenshot={shot}",
        (root / "out" / "checklist.html").as_uri(),
    )
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    import matplotlib.image as mpimg

    pixels = mpimg.imread(shot)
    assert pixels.shape[0] >= 1000
    assert len({tuple(p) for p in pixels[::40, ::40, :3].reshape(-1, 3).round(2).tolist()}) > 5
