"""The filing pages a desk adds after its own: Reports for authors; Deliveries and
Reports for supervisors and administrators."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from scribedesk.ui.pages.deliveries_page import DeliveriesPage
from scribedesk.ui.pages.reports_page import ReportsPage
from scribedesk.ui.workstation import Workstation


def filing_pages(window: Any, first: int, overseer: bool) -> list[tuple[str, str, QWidget]]:
    """Made and put on the window's stack: (title, keys, page) for the Go menu, numbered
    from Ctrl+``first``."""
    station: Workstation = window.station
    pages: list[tuple[str, QWidget]] = []
    if overseer:
        pages.append(("&Deliveries", DeliveriesPage(station)))
    pages.append(("Re&ports", ReportsPage(station, can_export=overseer)))
    for _title, page in pages:
        window.pages.addWidget(page)
        window._page_signals(page)
    return [(title, f"Ctrl+{first + i}", page) for i, (title, page) in enumerate(pages)]
