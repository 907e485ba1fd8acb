"""Rendered first pages of the Word documents, for docs/screenshots/: a call report (the
demo's Acme dictation), the survey report (the demo's three surveys) and the proposal
draft (the demo's two sections against its RFP outline), through LibreOffice headless
and pdftoppm.

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
sys.path.insert(0, str(ROOT))

from tests.server.test_documents import to_pdf  # noqa: E402  (the tests' conversion)

from scribedesk.domain.proposal import Section, compile_draft, parse_outline  # noqa: E402
from scribedesk.domain.survey import survey_report  # noqa: E402
from scribedesk.domain.templates import load_template_dir  # noqa: E402
from scribedesk.server.documents import Filed, call_report_docx  # noqa: E402
from scribedesk.server.report_documents import proposal_docx, survey_docx  # noqa: E402

SURVEY = "customer-satisfaction-survey"


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
    render(call_report_docx(template, filed), "document-call-report")
    templates = load_template_dir(ROOT / "resources" / "templates")
    surveys = [(d["fields"], "") for d in manifest["dictations"] if d["template_id"] == SURVEY]
    report = survey_report(templates[SURVEY], surveys, "2026-11-01", "2026-11-30")
    render(survey_docx(report), "document-survey-report")
    spec = manifest["proposals"][0]
    sections = [
        Section(
            d["fields"]["section_id"],
            d["fields"]["section_title"],
            d["fields"]["content_owner"]["name"],
            20 + n,
            1,
            datetime(2026, 11, 20 + n, tzinfo=UTC),
            d["script"],
        )
        for n, d in enumerate(manifest["dictations"])
        if d["template_id"] == "proposal-section"
    ]
    draft = compile_draft(
        spec["proposal"], spec["account"], parse_outline(spec["outline"]), sections
    )
    render(proposal_docx(draft), "document-proposal-draft")
    return 0


def render(data: bytes, name: str) -> None:
    """The document's first page as docs/screenshots/<name>.png (LibreOffice, pdftoppm)."""
    work = Path(tempfile.mkdtemp(prefix="scribedesk-doc-"))
    docx = work / f"{name}.docx"
    docx.write_bytes(data)
    pdf = to_pdf(docx, work)
    out = ROOT / "docs" / "screenshots" / name
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
            str(pdf),
            str(out),
        ],
        check=True,
    )
    print(f"{out}.png")


if __name__ == "__main__":
    sys.exit(main())
