"""Screenshots of the desks: the supervisor's (Team, Review) and the transcriptionist's Feedback
page, light and dark, from the workstation on its embedded default (demo data, with its
reviewed history). Saved into docs/screenshots/.

Also the trainee's worklist, result and exercise (trey) and the trainer's Trainees,
Library and Curricula pages (tess).

Usage: xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshots_desks.py sam
       ... scripts/screenshots_desks.py tara | trey | tess | alex | ada
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
    if user == "ada":  # a destination that cannot be reached: a delivery waits, with why
        os.environ["SCRIBEDESK_WEBHOOK_URL"] = "http://127.0.0.1:9/scribedesk"
        os.environ["SCRIBEDESK_WEBHOOK_SECRET"] = (
            "whsec_" + "c2NyZWVuc2hvdC1zZWNyZXQtMDEyMzQ1Njc4OQ=="
        )
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

        def trainee() -> None:
            lists = window.list_page
            wait(lambda: lists.model.total > 0, lambda: both("training-worklist", results))

        def results() -> None:
            window.show_page(window.training_page)
            page = window.training_page
            wait(lambda: page.progress is not None, lambda: failed_attempt(page))

        def failed_attempt(page) -> None:  # type: ignore[no-untyped-def]
            first = min(a.id for a in page.progress.attempts)
            page.show_attempt(first)
            wait(lambda: page.view.result is not None, lambda: both("training-result", exercise))

        def exercise() -> None:
            window.show_page(window.list_page)
            window.list_page.next_job()
            wait(
                lambda: window.workspace is not None,
                lambda: both("training-exercise", lambda: app.exit(0)),
            )

        def trainer() -> None:
            page = window.trainees_page
            wait(lambda: page.grid is not None, lambda: both("trainer-grid", library))

        def library() -> None:
            window.show_page(window.library_page)
            page = window.library_page
            wait(lambda: bool(page.items), lambda: both("trainer-library", curricula))

        def curricula() -> None:
            window.show_page(window.curricula_page)
            page = window.curricula_page
            wait(
                lambda: bool(page.curricula), lambda: both("trainer-curricula", lambda: app.exit(0))
            )

        def author() -> None:
            page = window.author_page
            page.refresh()
            wait(lambda: bool(page.items), lambda: author_record(page))

        def author_record(page) -> None:  # type: ignore[no-untyped-def]
            page.account.setText("Acme Logistics")
            page.title.setText("Renewal follow-up")
            page.table.setCurrentCell(0, 0)
            QTimer.singleShot(600, lambda: both("author", author_reports))

        def author_reports() -> None:
            page = next(p for _t, keys, p in window.desk if keys == "Ctrl+2")
            window.show_page(page)
            wait(lambda: bool(page.items), lambda: both("author-reports", lambda: app.exit(0)))

        def administrator() -> None:
            # A call report finished by tara: its delivery to the unreachable webhook the
            # environment names waits for a retry, with the reason.
            from datetime import date, timedelta

            from scribedesk.client.api import ApiClient

            tara = ApiClient(window.station.api.base_url)
            tara.login("tara", "scribedesk")
            job = tara.call("POST", "/jobs/next")
            today = date.today()
            fields = {
                "account": job["account"],
                "contacts": [{"name": "Dana Whitfield", "role": "Decision maker"}],
                "meeting_date": (today - timedelta(days=1)).isoformat(),
                "opportunity": "Three-year renewal",
                "stage": "Negotiation",
                "next_steps": "Product call with Dana by Friday.",
            }
            narrative = f"Call report for {job['account']}. " + "The renewal is at risk. " * 12
            tara.call(
                "POST",
                f"/jobs/{job['id']}/submit",
                json={
                    "lease_token": job["lease_token"],
                    "fields": fields,
                    "narrative": narrative,
                    "quality": {"heard": [[0, 86_400_000]]},
                },
                headers={"Idempotency-Key": "screenshot-ada"},
            )
            # Sampled for review (as a new hire's first jobs are): ada reviews what waits,
            # and the reviewed version is final.
            ada = window.station.api
            while (review := ada.call("POST", "/reviews/next")) is not None:
                submitted = review["submitted"]
                ada.call(
                    "POST",
                    f"/reviews/{review['id']}/complete",
                    json={
                        "lease_token": review["lease_token"],
                        "fields": submitted["fields"],
                        "narrative": submitted["narrative"],
                        "errors": [],
                    },
                )
            page = next(p for _t, keys, p in window.desk if keys == "Ctrl+3")
            page.shown.setCurrentIndex(3)  # all
            window.show_page(page)
            attempted = lambda: any(i.attempts for i in page.items)  # noqa: E731
            reload = QTimer(window)
            reload.timeout.connect(page.refresh)
            reload.start(1000)
            wait(
                attempted,
                lambda: (
                    reload.stop(),
                    page.table.setCurrentCell(0, 0),
                    both("deliveries", admin_reports),
                ),
            )

        def admin_reports() -> None:
            page = next(p for _t, keys, p in window.desk if keys == "Ctrl+4")
            window.show_page(page)
            wait(lambda: bool(page.items), lambda: both("reports", lambda: app.exit(0)))

        then = {
            "sam": supervisor,
            "trey": trainee,
            "tess": trainer,
            "alex": author,
            "ada": administrator,
        }.get(user, transcriptionist)
        wait(lambda: window.connection.text().startswith("Connected"), then)

    QTimer.singleShot(0, capture)
    code = app_module.run(None, user, None)
    from scribedesk.client import local_service
    from scribedesk.config.paths import data_dir

    local_service.stop(data_dir() / "service")  # the throwaway folder's service
    print(f"screenshots in {OUT}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "sam"))
