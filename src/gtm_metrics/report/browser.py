"""Open a report in headless Chromium and record what a reader would see.

Chromium is driven through the DevTools protocol over a pipe
(--remote-debugging-pipe: JSON messages separated by NUL bytes on file
descriptors 3 and 4), so no port is opened and no websocket client is
needed. The session collects console messages, uncaught exceptions,
browser log entries and every network request, evaluates a script in the
page, and takes a full-page screenshot.

Usage: python -m gtm_metrics.report.browser REPORT.html SCREENSHOT.png
"""

from __future__ import annotations

import argparse
import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# Flags for a reproducible, offline, headless run.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
    # No request from the page leaves the machine: every host name fails to
    # resolve, and a proxied request goes to a closed port on 127.0.0.1.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
]


class BrowserError(RuntimeError):
    """Raised when Chromium is missing, exits early or does not respond."""


@dataclass
class PageReport:
    """Console messages, exceptions, log entries and requests of one page
    load, and the value of the evaluated expression."""

    console: list[dict] = field(default_factory=list)
    exceptions: list[dict] = field(default_factory=list)
    log_entries: list[dict] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    evaluation: object = None

    @property
    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors, as text."""
        found = []
        for message in self.console:
            if message.get("type") in ("error", "assert"):
                found.append("console: " + " ".join(str(arg.get("value", arg.get("description", "")))
                                                    for arg in message.get("args", [])))
        for exception in self.exceptions:
            details = exception.get("exceptionDetails", {})
            found.append("exception: " + details.get("exception", {}).get("description", details.get("text", "")))
        for entry in self.log_entries:
            if entry.get("level") == "error":
                found.append(f"log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".rstrip())
        return found


def find_chromium() -> str:
    for candidate in (os.environ.get("GTM_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    raise BrowserError(
        "Chromium not found: install Debian's package (apt-get install chromium, "
        "or scripts/install_system_packages.sh) or set GTM_CHROMIUM to the browser binary"
    )


class _Pipe:
    """DevTools protocol messages over the two pipes Chromium reads and writes."""

    def __init__(self, process: subprocess.Popen, to_browser: int, from_browser: int):
        self.process = process
        self.to_browser = to_browser
        self.from_browser = from_browser
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise BrowserError("Chromium did not respond: the DevTools call timed out")
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise BrowserError(f"Chromium closed the DevTools pipe (exit code {self.process.poll()})")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 60.0) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"{method} failed: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 60.0) -> dict:
        for index, event in enumerate(self.events):
            if event["method"] == method:
                return self.events.pop(index)
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("method") == method:
                return reply
            if "method" in reply:
                self.events.append(reply)


def inspect_page(
    html_file: Path,
    screenshot: Path | None = None,
    expression: str | None = None,
    width: int = 1360,
    height: int = 900,
    clip_height: int | None = None,
    settle_seconds: float = 0.5,
) -> PageReport:
    """Load `html_file` in headless Chromium, optionally evaluate
    `expression` (its JSON-serialisable result lands in
    PageReport.evaluation) and save a PNG screenshot of the whole page, or
    of its top `clip_height` pixels."""
    chromium = find_chromium()
    profile = Path(tempfile.mkdtemp(prefix="gtm-chromium-"))
    to_browser_read, to_browser_write = os.pipe()
    from_browser_read, from_browser_write = os.pipe()
    # Chromium reads commands on fd 3 and writes replies on fd 4. The child's
    # ends are first copied to fds 10 and up (close-on-exec), so moving them
    # to 3 and 4 in the child cannot overwrite one with the other.
    child_read = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD_CLOEXEC, 10)
    child_write = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD_CLOEXEC, 10)
    for descriptor in (to_browser_read, from_browser_write):
        os.close(descriptor)

    def map_pipes() -> None:
        os.dup2(child_read, 3)
        os.dup2(child_write, 4)

    # close_fds=False, because the standard library closes descriptors after
    # preexec_fn runs and would close 3 and 4 again. Every other descriptor
    # of this process is close-on-exec (PEP 446), so none leaks.
    process = subprocess.Popen(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=False,
        preexec_fn=map_pipes,
    )
    os.close(child_read)
    os.close(child_write)
    pipe = _Pipe(process, to_browser_write, from_browser_read)
    report = PageReport()
    try:
        target = pipe.call("Target.createTarget", {"url": "about:blank"})
        attached = pipe.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
        session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            pipe.call(f"{domain}.enable", session=session)
        pipe.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
        pipe.call("Page.navigate", {"url": html_file.resolve().as_uri()}, session=session)
        pipe.wait_for("Page.loadEventFired")
        time.sleep(settle_seconds)
        if expression is not None:
            result = pipe.call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                               session=session)
            if "exceptionDetails" in result:
                raise BrowserError(f"evaluation failed: {result['exceptionDetails']}")
            report.evaluation = result["result"].get("value")
        if screenshot is not None:
            options = {"format": "png", "captureBeyondViewport": True, "fromSurface": True}
            if clip_height is not None:
                options["clip"] = {"x": 0, "y": 0, "width": width, "height": clip_height, "scale": 1}
            shot = pipe.call("Page.captureScreenshot", options, session=session)
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
        # A last round trip flushes events sent before it.
        pipe.call("Runtime.evaluate", {"expression": "1"}, session=session)
        for event in pipe.events:
            params = event.get("params", {})
            if event["method"] == "Runtime.consoleAPICalled":
                report.console.append(params)
            elif event["method"] == "Runtime.exceptionThrown":
                report.exceptions.append(params)
            elif event["method"] == "Log.entryAdded":
                report.log_entries.append(params.get("entry", {}))
            elif event["method"] == "Network.requestWillBeSent":
                report.requests.append(params.get("request", {}).get("url", ""))
        try:
            pipe.call("Browser.close", timeout=10)
        except BrowserError:
            pass
    finally:
        os.close(to_browser_write)
        os.close(from_browser_read)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(profile, ignore_errors=True)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gtm_metrics.report.browser",
        description="Open an HTML report in headless Chromium, save a screenshot and print any console error.",
    )
    parser.add_argument("report", type=Path, help="HTML file to open")
    parser.add_argument("screenshot", type=Path, help="PNG file to write")
    parser.add_argument("--width", type=int, default=1360, help="viewport width in CSS pixels (default: %(default)s)")
    parser.add_argument("--clip-height", type=int, default=None,
                        help="capture only the top N CSS pixels of the page (default: the whole page)")
    options = parser.parse_args(argv)
    report = inspect_page(options.report, options.screenshot, width=options.width, clip_height=options.clip_height)
    for error in report.errors:
        print(error, file=sys.stderr)
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
