"""The generated form: an editor per field type, inline checks, restore, tab order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QListWidget

from scribedesk.domain.templates import load_template_dir
from scribedesk.ui.widgets.template_form import TemplateForm

TEMPLATES = load_template_dir(Path(__file__).resolve().parents[2] / "resources" / "templates")


def form(qtbot, activate, template_id: str = "sales-call-report") -> TemplateForm:  # type: ignore[no-untyped-def]
    made = TemplateForm(
        TEMPLATES[template_id],
        known_accounts=["Acme Logistics", "Initech"],
        known_people=["Dana Whitfield"],
        today=lambda: date(2026, 11, 23),
    )
    return activate(made)


def test_each_type_gets_its_editor_and_required_fields_are_marked(qtbot, activate):
    """Dates pick, choices list, multi-choice checks; required labels end with *."""
    sales = form(qtbot, activate)
    assert isinstance(sales.editors["meeting_date"].focus_widget(), QLineEdit)
    stage = sales.editors["stage"].focus_widget()
    assert isinstance(stage, QComboBox) and stage.findText("Negotiation") > 0
    assert isinstance(sales.editors["competitors"].focus_widget(), QListWidget)
    account = sales.editors["account"].focus_widget()
    assert isinstance(account, QLineEdit) and account.completer() is not None
    labels = {label.text() for label in sales.findChildren(type(sales.problems["account"]))}
    assert "Account *" in labels and "Amount" in labels


def test_values_round_trip_through_a_draft(qtbot, activate):
    """Everything set (as from a restored draft) reads back the same."""
    sales = form(qtbot, activate)
    values = {
        "account": "Acme Logistics",
        "contacts": [
            {"name": "Dana Whitfield", "role": "Decision maker"},
            {"name": "Raj Menon", "role": "Procurement"},
        ],
        "meeting_date": "2026-11-20",
        "opportunity": "Three-year renewal",
        "stage": "Negotiation",
        "amount": 120000.0,
        "competitors": ["HubSpot", "Rival X"],
        "customer_concerns": "Slow route planning",
        "next_steps": "Call Dana by Friday",
        "follow_up_date": "2026-12-01",
    }
    sales.set_values(values)
    assert sales.values() == values
    assert sales.problem_list() == {}


def test_people_complete_from_known_names_and_take_roles(qtbot, activate):
    """A contact's name completes from the known people; several contacts get a row each."""
    sales = form(qtbot, activate)
    contacts = sales.editors["contacts"]
    first = contacts.focus_widget()
    assert first.completer().model().data(first.completer().model().index(0, 0)) == (
        "Dana Whitfield"
    )
    qtbot.keyClicks(first, "Dana Whitfield")
    contacts.rows[0].role.setCurrentText("Decision maker")
    contacts.add_button.click()
    qtbot.keyClicks(contacts.rows[1].name, "Raj Menon")
    assert sales.values()["contacts"] == [
        {"name": "Dana Whitfield", "role": "Decision maker"},
        {"name": "Raj Menon", "role": ""},
    ]


def test_problems_show_inline_as_you_type(qtbot, activate):
    """A bad amount shows its sentence under the field; fixing it hides it."""
    sales = form(qtbot, activate)
    amount = sales.editors["amount"].focus_widget()
    qtbot.keyClicks(amount, "lots")
    assert sales.problems["amount"].isVisible()
    assert "must be a number" in sales.problems["amount"].text()
    amount.clear()
    qtbot.keyClicks(amount, "120,000")
    assert not sales.problems["amount"].isVisible()
    assert sales.values()["amount"] == 120000.0
    assert "account" in sales.problem_list()  # required and still empty


def test_tab_goes_top_to_bottom(qtbot, activate):
    """Tab from the first field visits the fields in template order, each field's own
    widgets (a contact's role, "Add person") before the next field, also after a second
    contact was added."""
    sales = form(qtbot, activate)
    contacts = sales.editors["contacts"]
    contacts.add_button.click()  # a second contact: its row joins the chain in place
    qtbot.waitUntil(lambda: contacts.rows[1].name.isVisible())
    first = sales.editors["account"].focus_widget()
    first.setFocus()
    order = []
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    rows = contacts.rows
    assert order[:5] == [
        rows[0].name,
        rows[0].role,
        rows[1].name,
        rows[1].role,
        contacts.add_button,
    ]
    assert order[5] is sales.editors["meeting_date"].focus_widget()


def test_every_shipped_template_renders(qtbot, activate):
    """Surveys, proposal sections and memos build their forms too."""
    for template_id in TEMPLATES:
        built = form(qtbot, activate, template_id)
        assert set(built.editors) == set(TEMPLATES[template_id].field_ids)


def test_a_date_is_typed_and_tab_passes_through(qtbot, activate):
    """An empty date takes typed ISO as it is typed (no garbling), the locale's short
    form too; Tab goes on to the next field; F4 opens the calendar and Enter picks."""
    from PySide6.QtCore import QDate, QLocale
    from PySide6.QtWidgets import QCalendarWidget

    sales = form(qtbot, activate)
    meeting = sales.editors["meeting_date"]
    edit = meeting.focus_widget()
    edit.setFocus()
    qtbot.keyClicks(edit, "2026-11-24")
    assert meeting.value() == "2026-11-24"
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not edit
    edit.clear()
    local = QLocale().toString(QDate(2026, 11, 24), QLocale.FormatType.ShortFormat)
    edit.setFocus()
    qtbot.keyClicks(edit, local)
    assert meeting.value() == "2026-11-24"
    edit.clear()
    qtbot.keyClicks(edit, "next week")
    assert meeting.value() == "next week"  # kept as typed: the check says it is no date
    edit.clear()
    qtbot.keyClick(edit, Qt.Key.Key_F4)
    calendar = meeting.calendar
    assert isinstance(calendar, QCalendarWidget) and calendar.isVisible()
    calendar.setSelectedDate(QDate(2026, 12, 3))
    from PySide6.QtWidgets import QTableView

    qtbot.keyClick(calendar.findChild(QTableView), Qt.Key.Key_Return)
    assert meeting.value() == "2026-12-03" and not calendar.isVisible()


def test_a_whole_number_comes_back_as_typed(qtbot, activate):
    """A survey's rating answered "3" is still "3" when the draft is restored, not "3.0"."""
    survey = form(qtbot, activate, "customer-satisfaction-survey")
    rating = survey.editors["overall_rating"]
    rating.focus_widget().setFocus()
    qtbot.keyClicks(rating.focus_widget(), "3")
    saved = survey.values()
    assert saved["overall_rating"] == 3
    survey.set_values(saved)
    assert rating.focus_widget().text() == "3"
    survey.set_values({"overall_rating": 2.5})
    assert rating.focus_widget().text() == "2.5"
