"""Run the workstation on its embedded default and save screenshots into docs/screenshots/.

Usage: xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py
or with QT_QPA_PLATFORM=offscreen. Uses throwaway data folders, never the user's.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="scribedesk-shots-"))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(home / name.lower())
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import scribedesk.app as app_module

    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication([])

    from scribedesk.ui import main_window

    def capture() -> None:
        window = next(w for w in app.topLevelWidgets() if isinstance(w, main_window.MainWindow))

        def wait(condition, then, timeout=20.0):  # type: ignore[no-untyped-def]
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

        def worklist() -> None:
            window.grab().save(str(OUT / "worklist.png"))
            window.worklist.table.setFocus()
            window.open_job(window.model.job(0))
            wait(lambda: window.workspace is not None and window.workspace.isVisible(), workspace)

        def workspace() -> None:
            ws = window.workspace
            ws.narrative.setPlainText(
                "Call report for Acme Logistics. Dana Whitfield, head of operations, said the "
                "renewal is at risk because route planning has been slow since the last "
                "update. [inaudible 00:00:14] HubSpot offered a twenty percent discount. "
                "Agreed nxs: a product call with Dana by Friday."
            )
            ws.form.editors["account"].set_value("Acme Logistics")
            ws.form.editors["stage"].set_value("Negotiation")
            ws.form.editors["amount"].set_value("120,000")
            window.job_page.run_check(focus=False)  # the Check panel under the narrative
            QTimer.singleShot(
                700, lambda: (window.grab().save(str(OUT / "workspace.png")), settings_dialog())
            )

        def settings_dialog() -> None:
            from scribedesk.ui.dialogs.settings import SettingsDialog

            dialog = SettingsDialog(window.station.settings, parent=window)
            dialog.tabs.setCurrentIndex(2)  # hotkeys
            dialog.show()

            def done() -> None:
                dialog.grab().save(str(OUT / "settings.png"))
                dialog.close()
                app.exit(0)

            QTimer.singleShot(300, done)

        def connected() -> None:
            # The demo transcriptionist takes four jobs, so the worklist has something to show.
            for _ in range(4):
                window.station.api.next_job()
            window.refresh()
            wait(lambda: window.model.rowCount() >= 4, worklist)

        wait(lambda: window.connection.text().startswith("Connected"), connected)

    QTimer.singleShot(0, capture)
    code = app_module.run(None, None, None)
    from scribedesk.client import local_service
    from scribedesk.config.paths import data_dir

    local_service.stop(data_dir() / "service")  # the throwaway folder's service
    print(f"screenshots in {OUT}")
    return code


if __name__ == "__main__":
    sys.exit(main())
