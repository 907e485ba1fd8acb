"""Word documents of transcripts (python-docx): the record as people file and print it.

A document has a header naming the template, the account and title as its heading, who
dictated it and when, a table of the template's fields with their values as people read
them, the narrative in paragraphs (its markers as readable times: "[inaudible 00:01:23]"
becomes "[inaudible at 1:23]"), and a footer with the job, the transcriptionist, the
version and the page number. Any template gets the same layout.

python-docx (with lxml) is imported when the first document is made: a service that
makes none does not hold it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scribedesk.domain.fieldspec import FieldType
from scribedesk.domain.templates import Template

_MARKER = re.compile(r"\[(?:(inaudible|unclear) )?(\d{2}):(\d{2}):(\d{2})\]")


@dataclass(frozen=True)
class Filed:
    """What a document is made of."""

    job_id: int
    account: str
    title: str
    author: str
    transcriptionist: str
    received_at: datetime
    version: int
    reviewed: bool
    fields: dict[str, Any]
    narrative: str


def filed_from(data: dict[str, Any]) -> Filed:
    """A delivery payload's ``data`` as a document is made of it."""
    return Filed(
        job_id=int(data["dictation_id"]),
        account=str(data.get("account") or ""),
        title=str(data.get("title") or ""),
        author=str(data.get("author") or ""),
        transcriptionist=str(data.get("transcriptionist") or ""),
        received_at=datetime.fromisoformat(data["received_at"]),
        version=int(data["version"]),
        reviewed=bool(data.get("reviewed")),
        fields=dict(data.get("fields") or {}),
        narrative=str(data.get("narrative") or ""),
    )


def readable_markers(text: str) -> str:
    """Markers as readable times: "[00:01:23]" → "(1:23)", "[inaudible 00:01:23]" →
    "[inaudible at 1:23]"."""

    def one(match: re.Match[str]) -> str:
        kind, hours, minutes, seconds = match.groups()
        total = int(hours) * 60 + int(minutes)
        at = f"{int(hours)}:{int(minutes):02d}:{seconds}" if int(hours) else f"{total}:{seconds}"
        return f"[{kind} at {at}]" if kind else f"({at})"

    return _MARKER.sub(one, text)


def shown(spec_type: FieldType, value: Any) -> str:
    """A field's value as a person reads it."""
    if value is None or value == "" or value == []:
        return "—"
    if spec_type is FieldType.PERSON:
        people = value if isinstance(value, list) else [value]
        return (
            "; ".join(
                f"{p.get('name', '')} ({p['role']})" if p.get("role") else str(p.get("name", ""))
                for p in people
                if isinstance(p, dict) and p.get("name")
            )
            or "—"
        )
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if spec_type is FieldType.CURRENCY and isinstance(value, int | float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def page_number(paragraph: Any) -> None:
    """A PAGE field (python-docx has no field API: the field characters by hand)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def call_report_docx(template: Template, filed: Filed) -> bytes:
    """The .docx of one transcript version."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Carlito"  # metric-compatible with Calibri, present where LibreOffice is
    style.font.size = Pt(11)
    properties = document.core_properties
    properties.title = f"{filed.account}: {filed.title or template.name}"
    properties.author = filed.author
    properties.subject = template.name
    section = document.sections[0]
    section.header.paragraphs[0].text = f"ScribeDesk · {template.name}"
    footer = section.footer.paragraphs[0]
    footer.text = (
        f"Job {filed.job_id} · transcribed by {filed.transcriptionist} · version "
        f"{filed.version}{' (reviewed)' if filed.reviewed else ''} · page "
    )
    page_number(footer)
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_heading(f"{filed.account}: {filed.title or template.name}", level=1)
    document.add_paragraph(
        f"Dictated by {filed.author} on {filed.received_at:%d %B %Y}. Template: {template.name}."
    )
    table = document.add_table(rows=0, cols=2)
    table.style = "Light Grid Accent 1"
    for spec in template.fields:
        cells = table.add_row().cells
        cells[0].text = spec.label
        cells[1].text = shown(spec.type, filed.fields.get(spec.id))
    document.add_heading(template.narrative.label, level=2)
    for block in filter(None, (b.strip() for b in filed.narrative.split("\n"))):
        document.add_paragraph(readable_markers(block))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
