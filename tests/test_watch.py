"""`sysdesign watch`: the server (127.0.0.1 only, located errors kept on screen, server-sent
events) and the page in headless Chromium, updating within 2 seconds of a save without a reload."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sysdesign.watch import WatchServer, snapshot

ROOT = Path(__file__).resolve().parent
FIXTURE = ROOT / "fixtures" / "minimal.yaml"
BROWSER_MODULES = ROOT.parent / "tools" / "browser"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")

PROBE = r"""
import { createRequire } from 'node:module';
import fs from 'node:fs';
const [url, file, edited, broken, shot] = process.argv.slice(2);
const { chromium } = createRequire(process.env.BROWSER_MODULES + '/')('playwright-core');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  // the page's CSP forbids eval, which Playwright's waitForFunction uses: bypass it for the probe
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, bypassCSP: true });
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('#title').textContent !== 'loading…');
  const before = await page.textContent('#title');
  let navigations = 0;
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations += 1; });
  fs.writeFileSync(file, fs.readFileSync(edited));
  let t0 = Date.now();
  const renamed = () => document.querySelector('#title').textContent.includes('Renamed');
  await page.waitForFunction(renamed, null, { timeout: 2000 });
  const renamedMs = Date.now() - t0;
  await page.waitForFunction(() => {
    const img = document.querySelector('#overview img');
    return img.complete && img.naturalWidth > 0;
  });
  await page.screenshot({ path: shot });
  fs.writeFileSync(file, fs.readFileSync(broken));
  t0 = Date.now();
  await page.waitForFunction(
    () => document.body.classList.contains('invalid'), null, { timeout: 2000 });
  const brokenMs = Date.now() - t0;
  const errors = await page.textContent('#errors');
  const title = await page.textContent('#title');
  console.log(JSON.stringify({ before, renamedMs, brokenMs, errors, title, navigations }));
} finally {
  await browser.close();
}
"""


def _get(url: str, host: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def served(tmp_path):  # type: ignore[no-untyped-def]
    design = tmp_path / "minimal.yaml"
    shutil.copy(FIXTURE, design)
    server = WatchServer(design, display="minimal.yaml").start()
    yield server, design
    server.stop()


def test_snapshot_of_an_invalid_file_carries_located_errors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text(FIXTURE.read_text().replace("kind: llm", "kind: llama"), encoding="utf-8")
    state = snapshot(bad, None, "bad.yaml")
    assert state["ok"] is False
    assert any(
        e.startswith("bad.yaml:") and ": error: unknown kind 'llama'" in e for e in state["errors"]
    )
    missing = snapshot(tmp_path / "gone.yaml", None, "gone.yaml")
    assert missing["ok"] is False and "cannot read" in missing["errors"][0]


@needs_dot
def test_server_binds_loopback_refuses_other_hosts_and_serves_state(served) -> None:  # type: ignore[no-untyped-def]
    server, _ = served
    assert server.url.startswith("http://127.0.0.1:")
    assert server.httpd.server_address[0] == "127.0.0.1"
    status, page = _get(server.url)
    assert status == 200 and b'new EventSource("/events")' in page
    status, body = _get(server.url + "state?stage=0")
    state = json.loads(body)
    assert status == 200 and state["ok"] and state["stage"] == 0
    assert set(state["views"]) == {"overview", "full"}
    assert [j["client"] for j in state["journeys"]] == ["users"]
    assert state["views"]["overview"].startswith("data:image/svg+xml;base64,")
    assert _get(server.url + "state", host="evil.example:80")[0] == 403  # DNS rebinding
    assert _get(server.url + "nothing")[0] == 404


@needs_dot
def test_events_announce_each_save(served) -> None:  # type: ignore[no-untyped-def]
    server, design = served
    seen: list[str] = []
    ready = threading.Event()

    def listen() -> None:
        with urllib.request.urlopen(server.url + "events", timeout=30) as stream:
            for raw in stream:
                line = raw.decode().strip()
                if line.startswith("data:"):
                    seen.append(line)
                    ready.set()
                    if len(seen) == 2:
                        return

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    assert ready.wait(10)
    design.write_text(design.read_text().replace("Minimal chat", "Edited chat"), encoding="utf-8")
    thread.join(20)
    assert seen == ["data: 0", "data: 1"]
    assert json.loads(_get(server.url + "state")[1])["title"].startswith("Edited chat")


@needs_dot
def test_live_page_updates_within_two_seconds_in_headless_chromium(served, tmp_path) -> None:  # type: ignore[no-untyped-def]
    chromium = next(
        (shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None
    )
    if not (chromium and shutil.which("node")):
        pytest.skip("headless Chromium and node are needed")
    if not (BROWSER_MODULES / "node_modules" / "playwright-core").is_dir():
        pytest.skip("playwright-core is not installed (setup.sh: npm ci --prefix tools/browser)")
    server, design = served
    edited = tmp_path / "edited.yaml"
    edited.write_text(FIXTURE.read_text().replace("Minimal chat", "Renamed chat"), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(edited.read_text().replace("kind: llm", "kind: llama"), encoding="utf-8")
    probe = tmp_path / "probe.mjs"
    probe.write_text(PROBE, encoding="utf-8")
    shot = tmp_path / "watch.png"
    env = {**os.environ, "BROWSER_MODULES": str(BROWSER_MODULES), "CHROMIUM": chromium}
    done = subprocess.run(
        ["node", str(probe), server.url, str(design), str(edited), str(broken), str(shot)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["before"].startswith("Minimal chat")
    assert result["renamedMs"] < 2000 and result["brokenMs"] < 2000, result
    assert result["navigations"] == 0  # updated in place, never reloaded
    assert "minimal.yaml:" in result["errors"] and "unknown kind 'llama'" in result["errors"]
    assert result["title"].startswith("Renamed chat")  # the last good picture stays
    assert shot.stat().st_size > 10_000
    keep = os.environ.get("SYSDESIGN_WATCH_SHOT")
    if keep:
        shutil.copy(shot, keep)
