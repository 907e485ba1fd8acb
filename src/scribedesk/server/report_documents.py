"""Word documents of the survey report and the proposal draft, and the survey's CSV
(python-docx, the same page set-up as a transcript's document)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from scribedesk.domain.proposal import Draft, Section
from scribedesk.domain.survey import SurveyReport
from scribedesk.server.documents import page_number, readable_markers

if TYPE_CHECKING:  # python-docx is imported when a document is made (server.documents)
    from docx.document import Document as DocumentType


def _document(header: str, title: str, footer: str) -> DocumentType:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Carlito"
    style.font.size = Pt(11)
    document.core_properties.title = title
    section = document.sections[0]
    section.header.paragraphs[0].text = header
    paragraph = section.footer.paragraphs[0]
    paragraph.text = f"{footer} · page "
    page_number(paragraph)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_heading(title, level=1)
    return document


def _bytes(document: DocumentType) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def survey_docx(report: SurveyReport) -> bytes:
    """Per question: the ratings over the whole scale, or every answer, grouped."""
    document = _document(
        f"ScribeDesk · {report.template}",
        f"{report.template}: report",
        f"{report.since} to {report.until} · {report.responses} responses · anonymous",
    )
    document.add_paragraph(
        f"{report.responses} response{'s' if report.responses != 1 else ''} received between "
        f"{report.since} and {report.until}. The survey is anonymous: no caller, account or "
        "author is named in this report."
    )
    for question in report.questions:
        document.add_heading(question.label, level=2)
        if question.rating:
            mean = f"; mean {question.mean:g}" if question.mean is not None else ""
            document.add_paragraph(f"{question.answered} answered{mean}.")
            table = document.add_table(rows=1, cols=2)
            table.style = "Light Grid Accent 1"
            table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Rating", "Answers"
            for value, count in question.counts:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = str(value), str(count)
            continue
        if not question.answers:
            document.add_paragraph("No one answered this question.")
            continue
        document.add_paragraph(f"{question.answered} answered.")
        for group in question.groups:
            document.add_paragraph(
                f"“{group.word}” ({len(group.answers)} answers)", style="Heading 3"
            )
            for answer in group.answers:
                document.add_paragraph(answer, style="List Bullet")
        if question.said_once:
            heading = "Said once" if question.groups else "Answers"
            document.add_paragraph(heading, style="Heading 3")
            for answer in question.said_once:
                document.add_paragraph(answer, style="List Bullet")
    return _bytes(document)


def survey_csv(report: SurveyReport) -> bytes:
    """One row per rating value (with its count) and per answer (with its group)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["question_id", "question", "rating", "count", "group", "answer"])
    for question in report.questions:
        if question.rating:
            for value, count in question.counts:
                writer.writerow([question.id, question.label, value, count, "", ""])
            continue
        for group in question.groups:
            for answer in group.answers:
                writer.writerow([question.id, question.label, "", "", group.word, answer])
        for answer in question.said_once:
            writer.writerow([question.id, question.label, "", "", "", answer])
    return out.getvalue().encode("utf-8-sig")


def proposal_docx(draft: Draft) -> bytes:
    """The draft in outline order, each section with its owner and version; what is
    missing listed at the top."""
    document = _document(
        f"ScribeDesk · proposal draft · {draft.account}",
        f"{draft.proposal}: draft",
        f"{draft.proposal} · {len(draft.items) - len(draft.missing)} of {len(draft.items)} "
        "sections",
    )
    missing = draft.missing
    if missing:
        document.add_paragraph(f"Missing sections ({len(missing)})", style="Heading 2")
        for item in missing:
            document.add_paragraph(f"{item.id} {item.title}".strip(), style="List Bullet")
    else:
        document.add_paragraph("Every section of the outline has been dictated.")
    for item, section in draft.items:
        title = section.title if section and section.title else item.title
        document.add_heading(f"{item.id} {title}".strip(), level=2)
        if section is None:
            document.add_paragraph("Missing: no one has dictated this section yet.")
            continue
        _section(document, section)
    if draft.outside:
        document.add_heading("Sections outside the outline", level=2)
        for section in draft.outside:
            document.add_heading(f"{section.id} {section.title}".strip(), level=3)
            _section(document, section)
    return _bytes(document)


def _section(document: DocumentType, section: Section) -> None:
    meta = document.add_paragraph()
    run = meta.add_run(
        f"Owner: {section.owner} · job {section.job_id}, version {section.version} · "
        f"finished {section.finished_at:%d %B %Y}"
    )
    run.italic = True
    for block in filter(None, (b.strip() for b in section.text.split("\n"))):
        document.add_paragraph(readable_markers(block))
