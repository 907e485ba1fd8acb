"""Record the service's answers that client/payloads.py parses (run from the repo root).

    .venv/bin/python tests/data/ws_data/record.py

Starts the real service on loopback with the demo data, signs in as the demo users and
writes each answer as it came, pretty-printed, beside this file.
"""

from __future__ import annotations

import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    import uvicorn

    from scribedesk.server.app import build_state, create_app
    from scribedesk.server.importer import seed_demo
    from scribedesk.server.settings import ServerSettings

    with tempfile.TemporaryDirectory() as tmp:
        settings = ServerSettings(data_dir=Path(tmp), port=0)
        state = build_state(settings)
        seed_demo(state, ROOT / "resources" / "demo" / "manifest.json")
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings, state=state), port=8799, log_level="error")
        )
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = "http://127.0.0.1:8799/api/v1"
        token = requests.post(
            f"{base}/auth/login", json={"username": "theo", "password": "scribedesk"}, timeout=30
        ).json()["token"]
        theo = {"Authorization": f"Bearer {token}"}
        claimed = requests.post(f"{base}/jobs/next", headers=theo, timeout=30).json()
        answers = {
            "job_next.json": claimed,
            "jobs.json": requests.get(f"{base}/jobs", headers=theo, timeout=30).json(),
            "jobs_waiting.json": requests.get(
                f"{base}/jobs/waiting", headers=theo, timeout=30
            ).json(),
            "directory.json": requests.get(f"{base}/directory", headers=theo, timeout=30).json(),
            "templates.json": requests.get(f"{base}/templates", headers=theo, timeout=30).json(),
        }
        for name, answer in answers.items():
            (HERE / name).write_text(json.dumps(answer, indent=2, ensure_ascii=False) + "\n")
        server.should_exit = True


if __name__ == "__main__":
    main()
