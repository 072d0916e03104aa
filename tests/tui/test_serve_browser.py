"""``tabletop serve`` in a real headless Chromium: join screen, join code, one action, journaled.

The page runs the terminal UI through textual-serve, which sends the terminal's output over a
WebSocket as binary frames. A script added before the page loads (CDP
``Page.addScriptToEvaluateOnNewDocument``) keeps every frame, decoded, in ``window.__screen``;
keys go to xterm.js's ``.xterm-helper-textarea``. Runs on both backends (a file on this host,
PostgreSQL). Skipped when Chromium or chromedriver is missing, except under CI (``CI=true``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tabletop.engine.exercise import Exercise
from tabletop.journal import open_journal
from tabletop.loader.game import load_game

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ALPHA_SECRET = "dam is weaker"
BETA_SECRET = "levees are old"

HOOK = r"""
(() => {
  window.__screen = "";
  const dec = new TextDecoder();
  const Orig = window.WebSocket;
  function Hooked(...args) {
    const ws = new Orig(...args);
    ws.addEventListener("message", (ev) => {
      const add = (buf) => { window.__screen += dec.decode(new Uint8Array(buf), {stream: true}); };
      if (typeof ev.data === "string") window.__screen += ev.data;
      else if (ev.data instanceof ArrayBuffer) add(ev.data);
      else if (ev.data && ev.data.arrayBuffer) ev.data.arrayBuffer().then(add);
    });
    return ws;
  }
  Hooked.prototype = Orig.prototype;
  Object.assign(Hooked, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Hooked;
})();
"""
_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _need(ok: bool, why: str) -> None:
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why} (CI must run the browser test)")
    pytest.skip(why)


@pytest.fixture
def browser() -> Iterator[object]:
    """Headless Chromium driven by selenium, the screen hook installed."""
    _need(Path(CHROMIUM).exists() or shutil.which("chromium") is not None, "no chromium")
    _need(Path(CHROMEDRIVER).exists(), "no chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _need(False, "selenium is not installed")
        raise
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
    ):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
    try:
        yield driver
    finally:
        driver.quit()


def _serve(target: str, cwd: Path) -> tuple[subprocess.Popen[str], str, dict[str, str]]:
    """Start ``tabletop serve``; return it, its URL and the join codes it printed."""
    from pg_server import free_port

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tabletop.cli", "serve", target, "--port", str(port)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=open(cwd / "serve.err", "w"),  # noqa: SIM115 - closed with the process
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert proc.stdout is not None
    codes: dict[str, str] = {}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"serve stopped: {(cwd / 'serve.err').read_text()}")
        if m := re.match(r"^  (\S+)\s+([A-Z0-9]{4}-[A-Z0-9]{4})$", line.rstrip()):
            codes[m[1]] = m[2]
        if line.startswith("Open http"):
            break
    url = f"http://127.0.0.1:{port}"
    import socket

    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, url, codes
        time.sleep(0.2)
    raise AssertionError("serve does not listen")


def _wait(cond: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_browser_joins_with_its_code_and_its_action_is_journaled(
    browser, target: str, tiny_scenario: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    journal = target if "://" in target else str(Path(target))
    Exercise.new(load_game(tiny_scenario), journal).close()
    proc, url, codes = _serve(journal, tmp_path)
    try:
        assert set(codes) == {"alpha", "beta", "facilitator", "evaluator"}
        browser.get(url)

        def plain() -> str:
            return " ".join(
                _ESCAPE.sub(" ", browser.execute_script("return window.__screen")).split()
            )

        _wait(lambda: "Join the exercise" in plain(), "the join screen")
        keys = browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        # Seat: open the list, the first agency (alpha), take it; the code field gets the focus.
        for key in (Keys.ENTER, Keys.ARROW_DOWN, Keys.ENTER):
            keys.send_keys(key)
            time.sleep(0.4)
        keys.send_keys(codes["beta"] + Keys.ENTER)  # a wrong code first
        _wait(lambda: "Wrong join code for alpha" in plain(), "the refusal")
        keys.send_keys(codes["alpha"].lower() + Keys.ENTER)
        _wait(lambda: "Inbox of Alpha Water Bureau (private)" in plain(), "alpha's turn screen")
        _wait(lambda: "Your briefing: Alpha private briefing" in plain(), "alpha's briefing")
        keys.send_keys(Keys.CONTROL, "e")
        time.sleep(1.0)
        keys.send_keys(Keys.ENTER)  # "End the turn?" (points left): End turn

        def ended() -> bool:
            with open_journal(journal) as j:
                return any(
                    r.event.kind == "turn_ended" and r.event.agency == "alpha" for r in j.read()
                )

        _wait(ended, "alpha's turn_ended in the journal")
        assert BETA_SECRET not in plain()  # another agency's private briefing never shown
        with open_journal(journal) as j:
            refused = [
                (r.event.action, r.event.seat, r.event.reason)
                for r in j.read()
                if r.event.kind == "facilitator_access_refused"
            ]
        assert refused == [("join", "alpha", "wrong join code")]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
