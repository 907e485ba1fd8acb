"""Screenshots of the supervisor's desk (Team, Review) and the transcriptionist's Feedback
page, light and dark, from the workstation on its embedded default (demo data, with its
reviewed history). Saved into docs/screenshots/.

Usage: xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshots_desks.py sam
       ... scripts/screenshots_desks.py tara
Uses throwaway data folders, never the user's.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def main(user: str) -> int:
    home = Path(tempfile.mkdtemp(prefix="scribedesk-shots-"))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(home / name.lower())
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import scribedesk.app as app_module
    from scribedesk.domain.weighting import Severity
    from scribedesk.ui import main_window
    from scribedesk.ui.theme import apply_theme

    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication([])

    def capture() -> None:
        window = next(w for w in app.topLevelWidgets() if isinstance(w, main_window.MainWindow))
        window.resize(1600, 1000)

        def wait(condition, then, timeout=30.0):  # type: ignore[no-untyped-def]
            deadline = time.monotonic() + timeout

            def poll() -> None:
                if condition():
                    then()
                elif time.monotonic() > deadline:
                    print("timed out", file=sys.stderr)
                    app.exit(1)
                else:
                    QTimer.singleShot(100, poll)

            poll()

        def both(name: str, then) -> None:  # type: ignore[no-untyped-def]
            apply_theme("light")
            QTimer.singleShot(300, lambda: dark(name, then))

        def dark(name: str, then) -> None:  # type: ignore[no-untyped-def]
            window.grab().save(str(OUT / f"{name}.png"))
            apply_theme("dark")
            QTimer.singleShot(
                300,
                lambda: (
                    window.grab().save(str(OUT / f"{name}-dark.png")),
                    apply_theme("light"),
                    then(),
                ),
            )

        def supervisor() -> None:
            page = window.team_page
            wait(lambda: page.view is not None, lambda: both("team", review))

        def review() -> None:
            api = window.station.api
            waiting = [
                d
                for d in api.call("GET", "/dictations?status=submitted")
                if d["status"] == "submitted"
            ]
            api.call(
                "POST", f"/dictations/{waiting[0]['id']}/review", json={"reason": "Spot check"}
            )
            window.show_page(window.review_page)
            page = window.review_page
            page.claim_next()
            wait(lambda: page.work is not None, lambda: edit(page))

        def edit(page) -> None:  # type: ignore[no-untyped-def]
            text = page.narrative.toPlainText()
            words = text.split()
            words[5] = words[5] + "s"
            words[12] = "Globex"
            page.narrative.setPlainText(" ".join(words))
            page._recompute()
            page.differences.setCurrentRow(0)
            page.differences.setFocus()
            page._classify(Severity.CRITICAL)
            both("review", lambda: app.exit(0))

        def transcriptionist() -> None:
            window.show_page(window.feedback_page)
            page = window.feedback_page
            wait(lambda: page.errors.count() > 0, lambda: both("feedback", lambda: app.exit(0)))

        then = supervisor if user == "sam" else transcriptionist
        wait(lambda: window.connection.text().startswith("Connected"), then)

    QTimer.singleShot(0, capture)
    code = app_module.run(None, user, None)
    print(f"screenshots in {OUT}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "sam"))
