"""End of exercise: the report's scores, objective ratings and findings, the summary, the log.

The After-Action Report is built with :func:`tabletop.report.build_report` in a
thread worker (it takes tens of milliseconds plus the nobody-acts run of the
same seed), so the screen appears at once with a loading indicator and the
report follows. It is rebuilt whenever the journal grows (an observation, a
confirmed rating, another terminal). The same report is exported next to the
journal as Markdown, HTML, JSON, the PDF in the HSEEP layout and the decision
timeline as CSV, written in a worker too.

The evaluator confirms or overrides an objective's rating in a
:class:`~tabletop.tui.screens.rating.RatingForm`; each agency's hot-wash
feedback goes in a :class:`~tabletop.tui.screens.evaluation.FeedbackForm`
and each improvement-plan action's owner, contact, dates and status in a
:class:`~tabletop.tui.screens.evaluation.PlanForm`. Their commands go up to the
app as :class:`~tabletop.tui.messages.Decide` messages and are journaled like
every other decision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static
from textual.worker import Worker, WorkerState

from tabletop.app.exports import Exported, export_report, report_paths
from tabletop.app.session import Session
from tabletop.describe import agency_name
from tabletop.engine.game import Game
from tabletop.model import commands as cm
from tabletop.model.evaluation import FEEDBACK_QUESTIONS, FEEDBACK_SHORT, PLAN_STATUSES
from tabletop.model.events import Record
from tabletop.report import FORMATS, Report, build_report
from tabletop.report.model import Feedback, Finding, PlanItem
from tabletop.scoring.models import ObjectiveRating, ScoreCard
from tabletop.scoring.rating import RATING_TITLES
from tabletop.summary import summary_renderable
from tabletop.tui.messages import Decide
from tabletop.tui.screens.evaluation import FeedbackForm, PlanForm
from tabletop.tui.screens.forms import ChooseDialog
from tabletop.tui.screens.rating import RATING_STYLE, RatingForm
from tabletop.tui.text import log_lines
from tabletop.tui.widgets.log import DecisionLog
from tabletop.tui.widgets.menu import Menu, MenuItem
from tabletop.tui.widgets.scores import ALL, ScoreRow, ScoreTable, score_style, score_text
from tabletop.tui.widgets.status import KeyBar

#: Column id of the whole-exercise score (stage ids name the other columns).
TOTAL = "*total*"
#: Worker groups.
BUILD_GROUP = "debrief-report"
EXPORT_GROUP = "debrief-export"
#: Format names in notifications.
FORMAT_NAMES = {
    "md": "Markdown",
    "html": "HTML",
    "json": "JSON",
    "csv": "CSV (decision timeline)",
    "pdf": "PDF (HSEEP layout)",
}
#: Key of each single-format export (CSV has the palette and ctrl+s only).
FORMAT_KEYS = {"md": "F9", "html": "F10", "json": "F11", "pdf": "F12"}
PLAN_STATUS_STYLE = {"open": "yellow", "in_progress": "cyan", "complete": "green"}
#: Journal seqs of evidence shown per score in the explanations.
EVIDENCE_SHOWN = 6
TASK_STATUS = {
    "on_time": ("on time", "green"),
    "late": ("late", "yellow"),
    "missed": ("missed", "bold red"),
    "not_reached": ("not reached", "dim"),
}

KEYS = (
    ("Tab", "panel"),
    ("Enter", "rate/edit"),
    ("^F", "feedback"),
    ("^S", "export all"),
    ("F9", "md"),
    ("F10", "html"),
    ("F11", "json"),
    ("F12", "pdf"),
    ("F6", "observe"),
    ("^P", "palette"),
    ("^Q", "quit"),
)


def _last_seq(records: list[Record]) -> int:
    return records[-1].seq if records else 0


def _evidence(seqs: list[int]) -> str:
    if not seqs:
        return ""
    shown = ", ".join(str(s) for s in seqs[:EVIDENCE_SHOWN])
    more = len(seqs) - EVIDENCE_SHOWN
    return f" (#{shown}" + (f" +{more} more)" if more > 0 else ")")


def _rating(text: Text, rating: str | None) -> Text:
    """Append a coloured rating letter (``-`` when None) to ``text``."""
    if rating is None:
        text.append("-", style="dim")
    else:
        text.append(rating, style=RATING_STYLE[rating])
    return text


@dataclass(frozen=True, slots=True)
class Built:
    """A report and the last journal seq it includes."""

    seq: int
    report: Report


class DebriefCommands(Provider):
    """Command palette entries of the debrief: exports and the rating form."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        if not isinstance(screen, DebriefScreen):
            return []
        out: list[tuple[str, str, Callable[[], object]]] = [
            (
                "Debrief: export all (Markdown, HTML, JSON, PDF, CSV timeline)",
                "Write the report next to the journal (ctrl+s)",
                partial(screen.action_export, "all"),
            )
        ]
        for fmt in FORMATS:
            key = FORMAT_KEYS.get(fmt)
            out.append(
                (
                    f"Debrief: export {FORMAT_NAMES[fmt]}",
                    f"Write the report as {FORMAT_NAMES[fmt]} next to the journal"
                    + (f" ({key})" if key else ""),
                    partial(screen.action_export, fmt),
                )
            )
        out.append(
            (
                "Debrief: rate objective",
                "Confirm or override the highlighted objective's rating (Enter, ctrl+r)",
                screen.action_rate,
            )
        )
        out.append(
            (
                "Debrief: participant feedback (hot wash)",
                "Record an agency's strengths, areas for improvement and ratings (ctrl+f)",
                screen.action_feedback,
            )
        )
        out.append(
            (
                "Debrief: edit improvement plan action",
                "Owner, point of contact, dates and status of the highlighted action (Enter)",
                screen.action_edit_plan,
            )
        )
        return out

    async def discover(self) -> Hits:
        """Every entry, shown when the palette opens."""
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Entries matching ``query``."""
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


class DebriefScreen(Screen[None]):
    """The debrief: report scores, ratings and findings, summary, journal path, every decision.

    Nothing is private any more: the log shows every agency's decisions.

    Args:
        session: The ended (or abandoned) exercise.
    """

    BINDINGS = [
        Binding("ctrl+q", "app.quit", "Quit", priority=True),
        Binding("ctrl+s", "export('all')", "Export"),
        Binding("f9", "export('md')", "Markdown"),
        Binding("f10", "export('html')", "HTML"),
        Binding("f11", "export('json')", "JSON"),
        Binding("f12", "export('pdf')", "PDF"),
        Binding("ctrl+r", "rate", "Rate objective"),
        Binding("ctrl+f", "feedback", "Feedback"),
    ]
    COMMANDS = {DebriefCommands}

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.report: Report | None = None
        """The latest report shown (None until the first is built)."""
        self.report_seq = -1
        """Last journal seq included in :attr:`report`."""
        self.report_error = ""
        """Why the report could not be built ("" when it could)."""
        self._building: int | None = None
        self._detail = "score"

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="debrief-head")
        with Horizontal(id="debrief-body"):
            with VerticalScroll(id="debrief-scroll"):
                with Vertical(id="debrief-loading"):
                    yield Static(
                        "Scoring the journal and building the report...", id="debrief-loading-text"
                    )
                    yield LoadingIndicator()
                yield ScoreTable(id="debrief-scores")
                yield Menu(id="debrief-objectives", empty="The scenario has no objectives.")
                yield Menu(id="debrief-plan", empty="No corrective action drafted.")
                yield Static(id="debrief-feedback", classes="debrief-section")
                yield Static(id="debrief-findings", classes="debrief-section")
                yield Static(id="debrief-summary", classes="debrief-section")
            with VerticalScroll(id="debrief-detail-scroll"):
                yield Static(id="debrief-detail")
        yield DecisionLog(id="debrief-log")
        yield KeyBar(KEYS, classes="keybar")

    def on_mount(self) -> None:
        titles = {
            "#debrief-scores": "Scores 0-100 (arrows: agency, stage)",
            "#debrief-objectives": "Objectives: rating, automatic, evaluator (Enter rates)",
            "#debrief-plan": "Improvement plan: status, due, owner (Enter edits)",
            "#debrief-detail-scroll": "Why",
            "#debrief-log": "Decision log (all agencies)",
        }
        for selector, title in titles.items():
            self.query_one(selector).border_title = title
        self.query_one(ScoreTable).display = False
        for menu in self.query(Menu):
            menu.display = False
        self.query_one("#debrief-detail", Static).update(
            Text("The report is being built...", style="italic dim")
        )
        self.refresh_view()

    # ------------------------------------------------------------------ data down

    def refresh_view(self) -> None:
        """Redraw from the journal (an observation, a rating, another terminal wrote).

        The summary and the log follow at once; the report is rebuilt in a worker.
        """
        s = self.session
        self._show_head()
        summary = Text("Summary\n", style="bold underline")
        self.query_one("#debrief-summary", Static).update(
            Group(summary, summary_renderable(s.exercise))
        )
        self.query_one(DecisionLog).show(log_lines(s.game, s.records, None))
        seq = _last_seq(s.records)
        if seq not in (self.report_seq, self._building):
            self.rebuild()

    def rebuild(self) -> None:
        """Build the report of the journal as it is now, off the UI thread."""
        s = self.session
        records = list(s.records)
        self._building = _last_seq(records)
        if self.report is not None:
            self.query_one(ScoreTable).border_subtitle = "updating..."
        self._build(s.game, records)

    @work(thread=True, exclusive=True, group=BUILD_GROUP, exit_on_error=False)
    def _build(self, game: Game, records: list[Record]) -> Built:
        """Worker: the report of ``records``."""
        return Built(_last_seq(records), build_report(game, records))

    def _show_head(self) -> None:
        s = self.session
        st = s.state
        head = Text()
        head.append("Debrief ", style="bold reverse")
        head.append(f" {s.game.scenario.scenario.title}", style="bold")
        if st.phase == "ended":
            head.append(f"   EXERCISE ENDED: {st.ended_reason}", style="bold")
        else:
            head.append(f"   in progress (round {st.round})", style="bold")
        head.append("\nJournal: ", style="bold")
        path = s.journal_path
        shown = path.resolve() if isinstance(path, Path) else path
        head.append(str(shown) if shown is not None else "(in memory: nothing saved)")
        if path is not None:
            head.append("   Every decision is in the journal.")
        head.append("\n")
        r = self.report
        if r is None:
            if self.report_error:
                head.append(f"The report could not be built: {self.report_error}", style="red")
            else:
                head.append("Scoring the journal...", style="italic")
        else:
            o = r.overview
            head.append("Overall ", style="bold")
            head.append(score_text(o.overall), style=score_style(o.overall))
            head.append("/100   Harm ", style="bold")
            head.append(f"{o.harm:.1f} against {o.counterfactual_harm:.1f} with nobody acting")
            if o.harm_avoided is not None:
                head.append(f" ({100 * o.harm_avoided:.0f}% avoided)")
            if r.objectives:
                head.append("   Objectives ", style="bold")
                for i, obj in enumerate(r.objectives):
                    if i:
                        head.append(" ")
                    _rating(head, obj.rating)
        self.query_one("#debrief-head", Static).update(head)

    def show_report(self, built: Built) -> None:
        """Show a freshly built report (keeps the cursors where they were)."""
        first = self.report is None
        self.report, self.report_seq, self.report_error = built.report, built.seq, ""
        r = built.report
        self.query("#debrief-loading").remove()
        table = self.query_one(ScoreTable)
        menu = self.query_one("#debrief-objectives", Menu)
        plan = self.query_one("#debrief-plan", Menu)
        table.display = menu.display = plan.display = True
        table.border_subtitle = ""
        stage_titles = {st.id: st.title for st in r.stages}
        columns = [(TOTAL, "Total")] + [(st, stage_titles.get(st, st)) for st in r.scores.stages]
        rows = [
            ScoreRow(
                a.id,
                a.name,
                (r.scores.agencies[a.id].total.overall.value,)
                + tuple(
                    card.overall.value if (card := r.scores.agencies[a.id].stages.get(st)) else None
                    for st in r.scores.stages
                ),
            )
            for a in r.agencies
            if a.id in r.scores.agencies
        ]
        rows.append(
            ScoreRow(
                ALL,
                "All agencies",
                (r.scores.total.overall.value,)
                + tuple(
                    card.overall.value if (card := r.scores.stage_totals.get(st)) else None
                    for st in r.scores.stages
                ),
            )
        )
        table.set_data(columns, rows)
        menu.set_items([MenuItem(o.id, self._objective_label(o)) for o in r.objectives])
        plan.set_items(
            [MenuItem(p.id, self._plan_label(i, p)) for i, p in enumerate(r.plan, start=1)]
        )
        self.query_one("#debrief-feedback", Static).update(self._feedback(r))
        self.query_one("#debrief-findings", Static).update(self._findings(r))
        self._show_head()
        self._show_detail()
        if first and (self.focused is None or isinstance(self.focused, VerticalScroll)):
            self.set_focus(table)  # the panes took the focus while the table was hidden

    def show_error(self, message: str) -> None:
        """The report could not be built: say why where it would be."""
        self.report_error = message
        self._building = None
        if self.report is None:
            self.query("#debrief-loading").remove()
            self.query_one("#debrief-detail", Static).update(
                Text(f"The report could not be built: {message}", style="red")
            )
        else:
            self.query_one(ScoreTable).border_subtitle = "not updated"
        self._show_head()
        self.notify(message, title="Report not built", severity="error")

    # ------------------------------------------------------------------ report sections

    @staticmethod
    def _objective_label(o: ObjectiveRating) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        _rating(line, o.rating)
        line.append("  auto ")
        _rating(line, o.auto)
        line.append("  eval ")
        _rating(line, o.confirmed)
        line.append(f"  {o.title}")
        return line

    def _plan_label(self, number: int, p: PlanItem) -> Text:
        """``n status due owner issue`` (the owner: the responsible agency's name by default)."""
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"{number:>2} ")
        line.append(f"{PLAN_STATUSES[p.status]:<11}", style=PLAN_STATUS_STYLE[p.status])
        line.append(f" {p.due or '-':<10} ")
        line.append(p.owner or agency_name(self.session.game, p.responsible), style="bold")
        line.append(f"  {p.issue}")
        return line

    def _feedback(self, r: Report) -> RenderableType:
        """Which agencies gave their hot-wash feedback, and the mean ratings."""
        given = {f.agency: f for f in r.feedback}
        text = Text("Participant feedback (hot wash, ctrl+f)\n", style="bold underline")
        for a in r.agencies:
            f = given.get(a.id)
            text.append(f"{a.name}: ")
            if f is None:
                text.append("not given yet\n", style="dim")
            else:
                text.append("given", style="green")
                text.append(f" by {f.author}" if f.author else "")
                text.append(f" (#{f.seq})\n", style="dim")
        means = [
            f"{FEEDBACK_SHORT[q]} {v:.1f}"
            for q in FEEDBACK_QUESTIONS
            if (v := r.feedback_means.get(q)) is not None
        ]
        if means:
            text.append("Mean ratings (1-5): ", style="bold")
            text.append(", ".join(means))
        text.rstrip()
        return text

    @staticmethod
    def _findings(r: Report) -> RenderableType:
        def bullets(title: str, findings: list[Finding], empty: str) -> Iterator[RenderableType]:
            yield Text(title, style="bold underline")
            if not findings:
                yield Text(empty, style="italic dim")
                return
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column(ratio=1)
            for f in findings:
                grid.add_row("•", Text(f.text) + Text(_evidence(f.evidence), style="dim"))
            yield grid

        return Group(
            *bullets("Strengths", r.strengths, "None drafted."),
            Text(""),
            *bullets("Areas for improvement", r.improvements, "None drafted."),
        )

    def objective(self, objective_id: str | None = None) -> ObjectiveRating | None:
        """An objective of the current report (the highlighted one when no id is given)."""
        if self.report is None:
            return None
        if objective_id is None:
            objective_id = self.query_one("#debrief-objectives", Menu).highlighted_id
        return next((o for o in self.report.objectives if o.id == objective_id), None)

    def plan_item(self, action_id: str | None = None) -> tuple[int, PlanItem] | None:
        """(row number, row) of the improvement plan (the highlighted one when no id is given)."""
        if self.report is None:
            return None
        if action_id is None:
            action_id = self.query_one("#debrief-plan", Menu).highlighted_id
        for i, p in enumerate(self.report.plan, start=1):
            if p.id == action_id:
                return i, p
        return None

    def score_card(self, agency: str, column: str) -> ScoreCard | None:
        """The score card of one cell: ``agency`` (or :data:`ALL`) in a stage (or :data:`TOTAL`)."""
        if self.report is None:
            return None
        s = self.report.scores
        if agency == ALL:
            return s.total if column == TOTAL else s.stage_totals.get(column)
        scores = s.agencies.get(agency)
        if scores is None:
            return None
        return scores.total if column == TOTAL else scores.stages.get(column)

    def _score_detail(self, r: Report) -> RenderableType:
        table = self.query_one(ScoreTable)
        agency, column = table.row_id, table.column_id
        if agency is None or column is None:
            return Text("No scores.", style="italic dim")
        card = self.score_card(agency, column)
        names = {a.id: a.name for a in r.agencies}
        stages = {st.id: st for st in r.stages}
        title = Text()
        title.append(
            "All agencies" if agency == ALL else f"{names.get(agency, agency)} ({agency})",
            style="bold",
        )
        if column == TOTAL:
            title.append("\nWhole exercise (stages weighted by rounds played)")
        else:
            st = stages.get(column)
            label = f"{st.title} ({st.function})" if st is not None else column
            rounds = r.scores.rounds.get(column, 0)
            title.append(f"\n{label}, {rounds} round{'s' if rounds != 1 else ''}")
        if card is None:
            return Group(title, Text("Not scored in this stage.", style="italic dim"))
        title.append("\nOverall ", style="bold")
        title.append(score_text(card.overall.value), style=score_style(card.overall.value))
        if card.overall.explanation:
            title.append(f": {card.overall.explanation}")
        private = r.scores.private.get(agency) if column == TOTAL else None
        if private is not None:
            title.append("\nPrivate ", style="bold")
            title.append(score_text(private.value.value), style=score_style(private.value.value))
            title.append(f": {private.value.explanation}")
        titles = {d.id: d.title for d in r.dimensions}
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(ratio=1)
        for dim in r.scores.dimensions:
            score = card.dimensions.get(dim)
            if score is None:
                continue
            line = Text(f"{titles.get(dim, dim)}: ", style="bold")
            line.append(score.explanation)
            line.append(_evidence(score.evidence), style="dim")
            grid.add_row(Text(score_text(score.value), style=score_style(score.value)), line)
        return Group(title, Text(""), grid)

    def _objective_detail(self, r: Report) -> RenderableType:
        o = self.objective()
        if o is None:
            return Text("The scenario has no objectives.", style="italic dim")
        done = sum(1 for t in o.tasks if t.status == "on_time")
        text = Text()
        text.append(f"{o.title}\n", style="bold")
        if o.capability:
            text.append(f"Capability: {o.capability}\n")
        text.append(f"Critical tasks on time: {done}/{len(o.tasks)} ({100 * o.share:.0f}%)\n")
        text.append("Rating that counts ", style="bold")
        _rating(text, o.rating)
        text.append(f" ({RATING_TITLES[o.rating]})\n")
        text.append("Automatic ", style="bold")
        _rating(text, o.auto)
        text.append(f": {o.reason}\n")
        text.append("Evaluator ", style="bold")
        if o.confirmed is None:
            text.append("not confirmed yet. Enter (or ctrl+r) confirms or overrides.\n")
        else:
            _rating(text, o.confirmed)
            text.append(f": {o.note or '(no note)'} (journal #{o.confirmed_seq})\n")
        if o.tasks:
            text.append("\nCritical tasks\n", style="bold underline")
        for t in o.tasks:
            status, style = TASK_STATUS.get(t.status, (t.status, ""))
            text.append(f"[{status}]", style=style)
            text.append(f" {t.text}")
            if t.agency:
                text.append(f" ({t.agency})")
            if t.deadline:
                text.append(f", due {t.deadline}")
            if t.done_by:
                text.append(f": done by {t.done_by} in round {t.round} (#{t.seq})")
            text.append("\n")
        if o.flags:
            text.append("\nFlags\n", style="bold underline")
        for f in o.flags:
            text.append(f"{f.severity} ", style="bold red" if f.severity == "major" else "yellow")
            text.append(f"{f.code}: {f.text}")
            text.append(_evidence(f.evidence) + "\n", style="dim")
        text.rstrip()
        return text

    def _plan_detail(self) -> RenderableType:
        found = self.plan_item()
        if found is None:
            return Text("No corrective action drafted.", style="italic dim")
        number, p = found
        text = Text()
        text.append(f"Improvement plan action {number}", style="bold")
        text.append(f" ({p.priority} priority, id {p.id})\n")
        text.append("Issue: ", style="bold")
        text.append(f"{p.issue}\n")
        text.append("Corrective action: ", style="bold")
        text.append(f"{p.corrective_action}\n")
        if p.capability:
            text.append("Core capability: ", style="bold")
            text.append(f"{p.capability}\n")
        text.append("Responsible agency: ", style="bold")
        text.append(f"{agency_name(self.session.game, p.responsible)}\n")
        rows = (
            ("Owner organisation", p.owner),
            ("Point of contact", p.poc),
            ("Start", p.start),
            ("Due", p.due),
        )
        for label, value in rows:
            text.append(f"{label}: ", style="bold")
            text.append(f"{value}\n" if value else "not set\n", style="" if value else "dim")
        text.append("Status: ", style="bold")
        text.append(f"{PLAN_STATUSES[p.status]}\n", style=PLAN_STATUS_STYLE[p.status])
        if p.evidence:
            text.append(f"Evidence{_evidence(p.evidence)}\n", style="dim")
        text.append(
            f"Last updated: journal #{p.updated_seq}" if p.updated_seq else "Not updated yet.",
            style="dim",
        )
        text.append("\nEnter edits the owner, contact, dates and status.", style="italic")
        return text

    def _show_detail(self) -> None:
        """Explain what the cursor is on: a score cell, an objective or a plan action."""
        r = self.report
        if r is None:
            return
        if self._detail == "plan":
            body = self._plan_detail()
            title = "Why: improvement plan action"
        elif self._detail == "objective":
            body = self._objective_detail(r)
            title = "Why: objective"
        else:
            body = self._score_detail(r)
            title = "Why: scores"
        self.query_one("#debrief-detail", Static).update(body)
        scroll = self.query_one("#debrief-detail-scroll")
        scroll.border_title = title
        scroll.scroll_home(animate=False)

    # ------------------------------------------------------------------ events

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == BUILD_GROUP:
            if event.state == WorkerState.SUCCESS and isinstance(worker.result, Built):
                if worker.result.seq == self._building:
                    self._building = None
                if worker.result.seq > self.report_seq:
                    self.show_report(worker.result)
            elif event.state == WorkerState.ERROR:
                self.show_error(str(worker.error))
        elif worker.group == EXPORT_GROUP:
            if event.state == WorkerState.SUCCESS and isinstance(worker.result, Exported):
                done = worker.result
                if done.written:
                    self.notify("\n".join(str(p) for p in done.written), title="Report written")
                if done.errors:
                    self.notify(
                        "\n".join(done.errors), title="Report not written", severity="error"
                    )
            elif event.state == WorkerState.ERROR:
                self.notify(str(worker.error), title="Report not written", severity="error")

    @on(ScoreTable.Highlighted, "#debrief-scores")
    def _score_highlighted(self, event: ScoreTable.Highlighted) -> None:
        event.stop()
        if self._detail == "score" or event.table.has_focus:
            self._detail = "score"
            self._show_detail()

    @on(Menu.Highlighted, "#debrief-objectives")
    def _objective_highlighted(self, event: Menu.Highlighted) -> None:
        event.stop()
        self._detail = "objective"
        self._show_detail()

    @on(Menu.Selected, "#debrief-objectives")
    def _objective_selected(self, event: Menu.Selected) -> None:
        event.stop()
        self.rate(event.item_id)

    @on(Menu.Highlighted, "#debrief-plan")
    def _plan_highlighted(self, event: Menu.Highlighted) -> None:
        event.stop()
        self._detail = "plan"
        self._show_detail()

    @on(Menu.Selected, "#debrief-plan")
    def _plan_selected(self, event: Menu.Selected) -> None:
        event.stop()
        self.edit_plan(event.item_id)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        mode = {
            "debrief-scores": "score",
            "debrief-objectives": "objective",
            "debrief-plan": "plan",
        }.get(event.widget.id or "")
        if mode is not None and mode != self._detail:
            self._detail = mode
            self._show_detail()

    # ------------------------------------------------------------------ actions

    def action_export(self, fmt: str = "all") -> None:
        """Write the report next to the journal (``all``: every format, the PDF included)."""
        fmts = FORMATS if fmt == "all" else (fmt,)
        s = self.session
        records = list(s.records)
        current = self.report if self.report_seq == _last_seq(records) else None
        paths = report_paths(s)
        self._export(s.game, records, current, [(f, paths[f]) for f in fmts])

    @work(thread=True, group=EXPORT_GROUP, exit_on_error=False)
    def _export(
        self,
        game: Game,
        records: list[Record],
        report: Report | None,
        targets: list[tuple[str, Path]],
    ) -> Exported:
        """Worker: render and write the report (built first when none is up to date).

        A format that cannot be written (no WeasyPrint for the PDF, a folder in the
        way) does not keep the others from being written.
        """
        if report is None:
            report = build_report(game, records)
        return export_report(report, targets)

    def action_rate(self) -> None:
        """Confirm or override the highlighted objective's rating."""
        self.rate(None)

    def rate(self, objective_id: str | None) -> None:
        """Open the rating form of an objective (the highlighted one when None)."""
        if self.report is None:
            self.notify("The report is still being built.", severity="warning")
            return
        o = self.objective(objective_id)
        if o is None:
            self.notify("The scenario has no objectives to rate.", severity="warning")
            return
        self.app.push_screen(RatingForm(o, self.session.check), self._decide)

    def _decide(
        self, command: cm.ConfirmRating | cm.SubmitFeedback | cm.UpdatePlanAction | None
    ) -> None:
        """Send the evaluator's decision up to the app, which journals it (None: cancelled)."""
        if command is not None:
            self.post_message(Decide(command))

    def action_edit_plan(self) -> None:
        """Edit the highlighted improvement-plan action."""
        self.edit_plan(None)

    def edit_plan(self, action_id: str | None) -> None:
        """Open the form of a plan action (the highlighted one when None)."""
        if self.report is None:
            self.notify("The report is still being built.", severity="warning")
            return
        found = self.plan_item(action_id)
        if found is None:
            self.notify("The improvement plan has no action to edit.", severity="warning")
            return
        number, item = found
        why = self.session.check(cm.UpdatePlanAction(action=item.id, status=item.status))
        if why is not None:
            self.notify(why, title="Improvement plan", severity="warning")
            return
        self.app.push_screen(PlanForm(item, number, self.session.check), self._decide)

    def feedback_agencies(self) -> list[str]:
        """Agencies this terminal may give feedback for (its own when attached, else all)."""
        s = self.session
        if s.attach_as is not None and s.attach_as in s.game.scenario.agencies:
            return [s.attach_as]
        return list(s.game.order)

    def action_feedback(self) -> None:
        """Choose an agency, then fill in its participant feedback form."""
        if self.report is None:
            self.notify("The report is still being built.", severity="warning")
            return
        agencies = self.feedback_agencies()
        probe = cm.SubmitFeedback(agency=agencies[0], comments="-")
        why = self.session.check(probe)
        if why is not None:
            self.notify(why, title="Participant feedback", severity="warning")
            return
        if len(agencies) == 1:
            self.feedback(agencies[0])
            return
        given = {f.agency for f in self.report.feedback}
        names = self.session.game.scenario.agencies
        options = [
            (f"{names[a].name} ({a})" + ("  - given, edit" if a in given else ""), a)
            for a in agencies
        ]
        self.app.push_screen(
            ChooseDialog("Participant feedback: which agency?", options),
            lambda agency: self.feedback(agency) if agency else None,
        )

    def feedback(self, agency: str) -> None:
        """Open the feedback form of ``agency`` (pre-filled with its latest form)."""
        if self.report is None:
            return
        previous: Feedback | None = next(
            (f for f in self.report.feedback if f.agency == agency), None
        )
        name = self.session.game.scenario.agencies[agency].name
        self.app.push_screen(FeedbackForm(agency, name, previous, self.session.check), self._decide)
