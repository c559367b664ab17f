"""The dashboard in a real browser: headless Debian Chromium driven by Playwright.

The server runs as ``periphery app`` in a subprocess on a free port of 127.0.0.1, over a
temporary run store holding two stored runs; it is stopped at the end whatever happens. Each
test saves a screenshot under ``test-artifacts/``. Without a browser (``/usr/bin/chromium``)
or without Playwright the browser tests skip with a message saying which is missing;
``make test`` installs both where it can.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from periphery.experiments import resolve_target, run_target

CHROMIUM = os.environ.get("PERIPHERY_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT = 60_000  # ms; a Solara page starts a kernel per tab, a cold start takes seconds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    out = tmp_path_factory.mktemp("store")
    ids = []
    for legit in (0.8, 0.7):
        target = resolve_target("civil-violence", [f"legitimacy={legit}"])
        ids.append(run_target(target, 40, 3, out).run_id)
    return out, ids


@pytest.fixture(scope="module")
def server(store, tmp_path_factory):
    out, ids = store
    port = _free_port()
    log = (tmp_path_factory.mktemp("server") / "server.log").open("w")
    cmd = [sys.executable, "-c", "from periphery.cli import main; main()", "app", "--out", str(out),
           "--port", str(port)]  # fmt: skip
    env = {**os.environ, "HOME": str(tmp_path_factory.mktemp("home"))}  # Solara writes ~/.solara
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/readyz", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"dashboard server did not start: {Path(log.name).read_text()[-2000:]}")
                time.sleep(0.3)
        yield url, out, ids
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need the 'playwright' Python package (pip install -e '.[dev]')")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (as root: apt-get install chromium)")
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh user-data-dir per session
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM,
                                                    headless=True, args=ARGS,
                                                    viewport={"width": 1400, "height": 1000})  # fmt: skip
        try:
            yield ctx
        finally:
            ctx.close()


@pytest.fixture
def page(browser, server, request):
    url = server[0]
    pg = browser.new_page()
    outside = []
    pg.on("request", lambda r: outside.append(r.url)
          if not r.url.startswith((url, "data:", "blob:")) else None)  # fmt: skip
    pg.set_default_timeout(TIMEOUT)
    pg.goto(url)
    pg.wait_for_selector(".periphery-run")
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:  # what the page showed when the test failed
        shot(pg, f"FAILED-{request.node.name}")
    pg.close()
    assert not outside, f"the page asked other hosts for {outside[:5]}"


def shot(pg, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"dashboard-{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


def fill(pg, name: str, value: str) -> None:
    box = pg.locator(f".param-{name} input").first
    box.fill(value)
    box.press("Enter")


def set_steps(pg, value: str) -> None:
    box = pg.get_by_label("steps", exact=True)
    box.fill(value)
    box.press("Enter")


def run_and_wait(pg) -> None:
    before = pg.locator(".periphery-notice").all_inner_texts()
    pg.locator(".periphery-run").click()
    pg.wait_for_function(
        "b => { const n = document.querySelector('.periphery-notice');"
        " return n && n.innerText.includes('stored in') && n.innerText !== b; }",
        arg=before[0] if before else "",
    )


def chart_src(pg) -> str:
    return pg.locator(".periphery-chart img, img.periphery-chart").first.get_attribute("src")


def test_change_parameter_run_live_and_see_the_chart_change(page):
    shot(page, "01-start")
    set_steps(page, "600")
    page.locator(".periphery-run").click()
    page.wait_for_selector(".periphery-progress")  # live progress while the run goes
    early = chart_src(page)
    page.wait_for_selector("text=stored in")
    assert chart_src(page) != early  # the chart was redrawn as the run went on
    first_values = page.locator(".periphery-values").first.inner_text()
    first = chart_src(page)
    assert page.locator(".periphery-grid img, img.periphery-grid").count() >= 1
    set_steps(page, "150")
    fill(page, "legitimacy", "0.6")
    run_and_wait(page)
    # The notice and the values are separate widgets; the page may show the new notice a frame
    # before the new values, so wait for the values to change rather than read them at once.
    page.wait_for_function(
        "b => { const v = document.querySelector('.periphery-values'); return v && v.innerText !== b; }",
        arg=first_values,
    )
    assert chart_src(page) != first
    assert re.search(r"step 150: quiet \d+, active \d+, jailed \d+",
                     page.locator(".periphery-values").first.inner_text())  # fmt: skip
    shot(page, "02-run-after-parameter-change")


def test_bad_values_give_a_message_not_a_traceback(page):
    fill(page, "legitimacy", "1.7")
    msg = page.locator(".periphery-message").first
    msg.wait_for()
    assert "legitimacy must be a number in [0.0, 1.0]; got 1.7" in msg.inner_text()
    assert page.locator(".periphery-run").is_disabled()
    fill(page, "legitimacy", "0.8")
    fill(page, "citizen_density", "0.95")
    page.wait_for_selector("text=citizen_density + cop_density must be <= 1")
    assert "Traceback" not in page.inner_text("body")
    shot(page, "03-bad-value-message")


def test_step_back_animate_and_export_gif(page, server):
    _, out, _ = server
    set_steps(page, "80")
    run_and_wait(page)
    caption = page.locator(".periphery-grid-caption").first
    assert "grid at step 80" in caption.inner_text()
    thumb = page.locator(".periphery-step .v-slider__thumb-container").first
    thumb.focus()
    thumb.press("Home")  # step back to the start
    page.wait_for_selector("text=grid at step 0:")
    assert page.locator(".periphery-values").first.inner_text().startswith("step 0:")
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("() => !document.querySelector('.periphery-grid-caption')"
                           ".innerText.includes('step 0:')")  # the grid moves on by itself
    shot(page, "04-grid-animating")
    pause = page.get_by_role("button", name="Pause")
    if pause.count():
        pause.click()
    page.get_by_role("button", name="Export GIF").click()
    page.wait_for_selector("text=animation written to")
    gifs = list((out / "animations").glob("*.gif"))
    assert gifs and gifs[0].read_bytes()[:6] in (b"GIF89a", b"GIF87a")


def test_open_a_stored_run_and_compare_two(page, server):
    _, out, ids = server
    page.get_by_role("button", name="Stored runs").click()
    row = page.locator(".periphery-stored-run", has_text=ids[0])
    row.get_by_role("button", name="Open").click()
    page.wait_for_selector(f"text=opened run {ids[0]}")
    page.wait_for_selector(".periphery-chart")
    page.get_by_role("button", name="Show the grid (replay the run)").click()
    page.wait_for_selector(".periphery-grid-caption")
    assert "grid at step 40" in page.locator(".periphery-grid-caption").first.inner_text()
    shot(page, "05-stored-run-reopened")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector(".periphery-compare >> nth=1")
    assert page.locator(".periphery-compare img").count() == 2
    page.wait_for_selector("text=legitimacy")
    shot(page, "06-compare")


def test_path_traversal_in_the_page_is_rejected(page):
    page.get_by_role("button", name="Stored runs").click()
    box = page.locator(".periphery-open-id input")
    box.fill("../../../etc/passwd")
    box.press("Enter")
    page.locator(".periphery-open").click()
    msg = page.locator(".periphery-message").first
    msg.wait_for()
    assert "expected hexadecimal digits" in msg.inner_text()
    assert "root:" not in page.content()
    shot(page, "07-path-traversal-rejected")


def test_server_binds_loopback_and_serves_nothing_outside(server):
    url, out, _ = server
    assert url.startswith("http://127.0.0.1:")
    secret = out.parent / "outside-secret.txt"
    secret.write_text("do-not-serve")
    probes = ["/static/../../../../etc/passwd", "/static/public/..%2f..%2f..%2f..%2fetc%2fpasswd",
              "/static/assets/..%2f..%2f..%2fetc/passwd", "/_solara/cdn/..%2f..%2f..%2fetc%2fpasswd",
              "/jupyter/nbextensions/..%2f..%2f..%2fetc%2fpasswd", f"/static/{secret}",
              "/%2e%2e/%2e%2e/etc/passwd"]  # fmt: skip
    for probe in probes:
        try:
            body = urllib.request.urlopen(url + probe, timeout=10).read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            assert exc.code in (400, 403, 404), probe
            continue
        assert "root:" not in body and "do-not-serve" not in body, probe
