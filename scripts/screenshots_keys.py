"""Screenshots of the transcriptionist's desk as the menus, help and keys left it: the
worklist, an open job, F1's help, the list of keys (Ctrl+/) and My history, at 1600×1000
and 1024×700, light and dark, into docs/screenshots/desk-<view>-<size>[-dark].png.

Usage: xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshots_keys.py
Uses throwaway data folders, never the user's.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
SIZES = ((1600, 1000), (1024, 700))


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="scribedesk-shots-"))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(home / name.lower())
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    import scribedesk.app as app_module
    from scribedesk.ui import main_window, menus
    from scribedesk.ui.theme import apply_theme

    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication([])

    def capture() -> None:
        window = next(w for w in app.topLevelWidgets() if isinstance(w, main_window.MainWindow))
        steps: list[Callable[[], None]] = []

        def later(then: Callable[[], None], ms: int = 400) -> None:
            QTimer.singleShot(ms, then)

        def wait(condition: Callable[[], bool], then: Callable[[], None]) -> None:
            deadline = time.monotonic() + 30

            def poll() -> None:
                if condition():
                    then()
                elif time.monotonic() > deadline:
                    print("timed out", file=sys.stderr)
                    app.exit(1)
                else:
                    QTimer.singleShot(100, poll)

            poll()

        def shoot(widget: QWidget, view: str) -> None:
            for size in SIZES:
                widget.resize(*size)
                for theme in ("light", "dark"):
                    apply_theme(theme)
                    app.processEvents()
                    time.sleep(0.2)
                    app.processEvents()
                    suffix = "-dark" if theme == "dark" else ""
                    widget.grab().save(str(OUT / f"desk-{view}-{size[0]}x{size[1]}{suffix}.png"))
            apply_theme("light")

        def run_next() -> None:
            if steps:
                steps.pop(0)()
            else:
                app.exit(0)

        def worklist() -> None:
            shoot(window, "worklist")
            window.next_job()
            wait(lambda: window.workspace is not None and window.workspace.isVisible(), job)

        def job() -> None:
            ws = window.workspace
            ws.narrative.setPlainText(
                "Call report for Acme Logistics. Dana Whitfield said the renewal is at risk "
                "because route planning has been slow since the last update."
            )
            later(lambda: (shoot(window, "workspace"), run_next()), 600)

        def help_dialog() -> None:
            dialog = menus.open_help(window)
            later(lambda: (shoot(dialog, "help"), dialog.close(), run_next()))

        def shortcuts() -> None:
            dialog = menus.open_shortcuts(window)
            later(lambda: (shoot(dialog, "shortcuts"), dialog.close(), run_next()))

        def history() -> None:
            window.job_page.back()
            window.show_page(window.history_page)
            wait(lambda: window.history_page.items is not None, lambda: later(done_history, 800))

        def done_history() -> None:
            shoot(window, "history")
            run_next()

        steps.extend([help_dialog, shortcuts, history])
        wait(lambda: window.connection.text().startswith("Connected"), worklist)

    QTimer.singleShot(0, capture)
    code = app_module.run(None, None, None)
    from scribedesk.client import local_service
    from scribedesk.config.paths import data_dir

    local_service.stop(data_dir() / "service")  # the throwaway folder's service
    print(f"screenshots in {OUT}")
    return code


if __name__ == "__main__":
    sys.exit(main())
