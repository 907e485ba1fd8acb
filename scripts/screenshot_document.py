"""A rendered page of the Word document of a call report, for docs/screenshots/: the demo's
Acme dictation (its script and fields) through server.documents, LibreOffice headless and
pdftoppm.

Usage: .venv/bin/python scripts/screenshot_document.py (needs soffice and pdftoppm)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from scribedesk.domain.templates import load_template_dir  # noqa: E402
from scribedesk.server.documents import Filed, call_report_docx  # noqa: E402


def main() -> int:
    manifest = json.loads((ROOT / "resources" / "demo" / "manifest.json").read_text())
    entry = manifest["dictations"][0]
    template = load_template_dir(ROOT / "resources" / "templates")[entry["template_id"]]
    filed = Filed(
        job_id=7,
        account=entry["account"],
        title=entry["title"],
        author="alex",
        transcriptionist="tara",
        received_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        version=2,
        reviewed=True,
        fields=entry["fields"],
        narrative=entry["script"].replace("The renewal", "[00:00:09] The renewal"),
    )
    work = Path(tempfile.mkdtemp(prefix="scribedesk-doc-"))
    docx = work / "call-report.docx"
    docx.write_bytes(call_report_docx(template, filed))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    out = ROOT / "docs" / "screenshots" / "document-call-report"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(work / "call-report.pdf"),
            str(out),
        ],
        check=True,
    )
    print(f"{out}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
