"""The debrief's evaluation forms: an agency's hot-wash feedback, an improvement-plan action.

:class:`FeedbackForm` dismisses with a
:class:`~tabletop.model.commands.SubmitFeedback` and :class:`PlanForm` with an
:class:`~tabletop.model.commands.UpdatePlanAction` (None when cancelled); the
debrief sends them up to the app, which journals them like every decision.
Both are checked by a dry run of the engine first, so a refusal (the exercise
has not ended, a date that is no date) keeps the form open with its message.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static, TextArea

from tabletop.model import commands as cm
from tabletop.model.evaluation import (
    FEEDBACK_QUESTIONS,
    FEEDBACK_SHORT,
    PLAN_FIELDS,
    PLAN_STATUSES,
)
from tabletop.report.model import Feedback, PlanItem
from tabletop.tui.screens.forms import Check, CommandForm, buttons
from tabletop.tui.widgets.choice import ChoiceField

FEEDBACK_HELP = (
    "One form per agency; submitting again replaces it (both stay in the journal). "
    "Rate each statement from 1 (strongly disagree) to 5 (strongly agree), or leave it "
    "blank. Tab moves on, ctrl+s submits, Escape cancels."
)
PLAN_HELP = "Dates as YYYY-MM-DD (blank: not set). ctrl+s saves, Escape cancels."


class FeedbackForm(CommandForm[cm.SubmitFeedback | None]):
    """HSEEP participant feedback form of one agency (strengths, improvements, 1-5 ratings).

    Args:
        agency: The agency the form is for.
        name: Its name (the title).
        previous: Its latest form so far (pre-fills the fields), if any.
        check: Dry-run check of a command (None when legal).
    """

    def __init__(self, agency: str, name: str, previous: Feedback | None, check: Check) -> None:
        super().__init__()
        self.agency = agency
        self.name_text = name
        self.previous = previous
        self.check = check

    def compose(self) -> ComposeResult:
        p = self.previous
        with Vertical(classes="dialog wide", id="feedback-dialog"):
            yield Label(
                f"Hot wash: participant feedback of {self.name_text} ({self.agency})",
                classes="dialog-title",
            )
            yield Static(FEEDBACK_HELP, classes="dialog-help")
            with VerticalScroll(classes="fields", can_focus=False):
                yield Label("Filled in by (name, position)")
                yield Input(p.author if p else "", id="feedback-author", max_length=120)
                yield Label("Strengths: what went well")
                yield TextArea(
                    p.strengths if p else "", id="feedback-strengths", classes="feedback-text"
                )
                yield Label("Areas for improvement: what to change, and how")
                yield TextArea(
                    p.improvements if p else "", id="feedback-improvements", classes="feedback-text"
                )
                for q, statement in FEEDBACK_QUESTIONS.items():
                    value = str(p.ratings[q]) if p and q in p.ratings else ""
                    with Horizontal(classes="feedback-rating"):
                        yield Label(statement, classes="feedback-statement")
                        yield Input(
                            value,
                            id=f"rate-{q}",
                            placeholder="1-5",
                            max_length=1,
                            restrict=r"[1-5]?",
                            classes="feedback-score",
                        )
                yield Label("Other comments")
                yield TextArea(
                    p.comments if p else "", id="feedback-comments", classes="feedback-text"
                )
            yield Static("", id="form-error", classes="form-error")
            yield buttons("Submit feedback")

    def ratings(self) -> dict[str, int]:
        """The ratings typed (blank ones left out).

        Raises:
            ValueError: a rating is not 1 to 5.
        """
        out: dict[str, int] = {}
        for q in FEEDBACK_QUESTIONS:
            text = self.query_one(f"#rate-{q}", Input).value.strip()
            if not text:
                continue
            if text not in ("1", "2", "3", "4", "5"):
                raise ValueError(f"rate '{FEEDBACK_SHORT[q]}' from 1 to 5, not '{text}'")
            out[q] = int(text)
        return out

    def build(self) -> cm.SubmitFeedback:
        """The command the form describes.

        Raises:
            ValueError: a rating is not 1 to 5, or a text is too long.
        """
        return cm.SubmitFeedback(
            agency=self.agency,
            author=self.query_one("#feedback-author", Input).value.strip(),
            strengths=self.query_one("#feedback-strengths", TextArea).text.strip(),
            improvements=self.query_one("#feedback-improvements", TextArea).text.strip(),
            ratings=self.ratings(),
            comments=self.query_one("#feedback-comments", TextArea).text.strip(),
        )


class PlanForm(CommandForm[cm.UpdatePlanAction | None]):
    """Owner organisation, point of contact, start and due dates and status of one plan action.

    Args:
        item: The plan row as the report has it.
        number: Its row number in the plan.
        check: Dry-run check of a command (None when legal).
    """

    def __init__(self, item: PlanItem, number: int, check: Check) -> None:
        super().__init__()
        self.item = item
        self.number = number
        self.check = check

    def compose(self) -> ComposeResult:
        it = self.item
        about = f"{it.issue}\nCorrective action: {it.corrective_action}"
        with Vertical(classes="dialog wide", id="plan-dialog"):
            yield Label(
                f"Improvement plan action {self.number} ({it.priority} priority)",
                classes="dialog-title",
            )
            yield Static(about, classes="dialog-help")
            with VerticalScroll(classes="fields", can_focus=False):
                yield Label(PLAN_FIELDS["owner"])
                yield Input(it.owner, id="plan-owner", max_length=200)
                yield Label(PLAN_FIELDS["poc"])
                yield Input(
                    it.poc, id="plan-poc", max_length=200, placeholder="name, phone or mail"
                )
                with Horizontal(classes="plan-dates"):
                    with Vertical():
                        yield Label(PLAN_FIELDS["start"])
                        yield Input(
                            it.start, id="plan-start", max_length=10, placeholder="YYYY-MM-DD"
                        )
                    with Vertical():
                        yield Label(PLAN_FIELDS["due"])
                        yield Input(it.due, id="plan-due", max_length=10, placeholder="YYYY-MM-DD")
                yield Label("Status")
                yield ChoiceField(
                    [(title, status) for status, title in PLAN_STATUSES.items()],
                    value=it.status,
                    id="plan-status",
                )
            yield Static(PLAN_HELP, classes="dialog-help")
            yield Static("", id="form-error", classes="form-error")
            yield buttons("Save action")

    def build(self) -> cm.UpdatePlanAction:
        """The command the form describes (every field, as shown).

        Raises:
            ValueError: nothing changed, or a field is too long.
        """
        values = {
            name: self.query_one(f"#plan-{name}", Input).value.strip()
            for name in ("owner", "poc", "start", "due")
        }
        status = self.query_one("#plan-status", ChoiceField).value or "open"
        it = self.item
        before = {"owner": it.owner, "poc": it.poc, "start": it.start, "due": it.due}
        if values == before and status == it.status:
            raise ValueError("nothing changed")
        return cm.UpdatePlanAction(action=it.id, status=status, **values)  # type: ignore[arg-type]
