"""Start a virtual X server (Xvfb) for tests and benchmarks."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path


def start_xvfb(first: int = 90) -> tuple[subprocess.Popen[bytes], str] | None:
    """(server process, display name), or None when Xvfb, xdotool or xev are missing."""
    if not all(shutil.which(tool) for tool in ("Xvfb", "xdotool", "xev", "xdpyinfo")):
        return None
    number = next(
        n
        for n in range(first, first + 100)
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists()
    )
    display = f":{number}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while subprocess.run(["xdpyinfo", "-display", display], capture_output=True).returncode:
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            return None
        time.sleep(0.05)
    return server, display
