"""How journal events name things, shared by the two event describers.

The After-Action Report writes prose sentences (:mod:`tabletop.report.describe`)
and the terminal UI compact log lines (:mod:`tabletop.tui.text`); both name a
catalogue action, a proposal's commitments and an inject's addressees the same
way, with the helpers here. Headless: nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Sequence

from tabletop.engine.game import Game
from tabletop.model.commands import CommitmentSpec

#: Addressee of an inject that goes to every agency.
EVERYONE = "all"
#: What a proposal without any commitment offers.
NO_COMMITMENT = "no concrete commitment"


def action_title(game: Game, action: str) -> str:
    """The rule pack's title of a catalogue action (its id when the pack does not know it)."""
    return game.action(action).title if action in game.rules.actions else action


def commitments_text(commitments: Sequence[CommitmentSpec]) -> str:
    """A proposal's commitments, ``; ``-separated (or that there is none concrete)."""
    return "; ".join(c.describe() for c in commitments) or NO_COMMITMENT


def recipients(to: Sequence[str], everyone: str = EVERYONE) -> str:
    """The addressees of an inject: ``everyone`` when it goes to all agencies, else their ids."""
    return everyone if EVERYONE in to else ", ".join(to)


def fmt_amount(value: float) -> str:
    """An amount for people: ``3``, ``2.5``, ``1,000,000`` (never ``1e+06``)."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def agency_name(game: Game, agency: str | None) -> str:
    """The scenario's name of an agency (its id when the scenario does not know it)."""
    if agency is None:
        return "-"
    ag = game.scenario.agencies.get(agency)
    return ag.name if ag is not None else agency


def agency_names(game: Game, agencies: Sequence[str]) -> str:
    """Several agencies by name, ``, ``-separated."""
    return ", ".join(agency_name(game, a) for a in agencies)


def region_name(game: Game, region: str | None, default: str = "?") -> str:
    """The scenario's name of a region (its id when unknown, ``default`` when None)."""
    if region is None:
        return default
    r = game.scenario.regions.get(region)
    return r.name if r is not None else region


def resource_title(game: Game, resource: str | None) -> str:
    """The rule pack's title of a resource (``Rescue teams``), or its id."""
    if resource is None:
        return ""
    r = game.rules.resources.get(resource)
    return r.title if r is not None else resource


def commitment_text(game: Game, spec: CommitmentSpec) -> str:
    """One commitment with names: ``Alpha -> Beta: deliver 3 Rescue teams to Upstream by round 2``."""
    if spec.deliverable == "deliver":
        what = (
            f"deliver {fmt_amount(spec.amount)} {resource_title(game, spec.resource)} "
            f"to {region_name(game, spec.region)}"
        ).replace("  ", " ")
    elif spec.deliverable == "funds":
        what = f"pay {fmt_amount(spec.amount)} funds"
    elif spec.deliverable == "information":
        what = f"share information on {region_name(game, spec.region)}"
    else:
        what = f"take action '{action_title(game, spec.action) if spec.action else '?'}'"
        if spec.region:
            what += f" in {region_name(game, spec.region)}"
    debtor, creditor = agency_name(game, spec.debtor), agency_name(game, spec.creditor)
    return f"{debtor} -> {creditor}: {what} by round {spec.due_round}"


def named_commitments_text(game: Game, commitments: Sequence[CommitmentSpec]) -> str:
    """A proposal's commitments with names, ``; ``-separated (or that there is none concrete)."""
    return "; ".join(commitment_text(game, c) for c in commitments) or NO_COMMITMENT


def named_recipients(game: Game, to: Sequence[str], everyone: str = EVERYONE) -> str:
    """The addressees of an inject by name (``everyone`` when it goes to all agencies)."""
    return everyone if EVERYONE in to else agency_names(game, to)


#: A warning level with its article ("an orange warning", not "a orange").
WARNING_PHRASES = {
    "blue": "a blue warning",
    "yellow": "a yellow warning",
    "orange": "an orange warning",
    "red": "a red warning",
}


def warning_phrase(level: str | None) -> str:
    """``an orange warning``: a warning level with the right article."""
    if level is None:
        return "a warning"
    return WARNING_PHRASES.get(level, f"a '{level}' warning")


def time_text(iso: str) -> str:
    """A journal timestamp for people: ``2026-11-24 09:00 UTC`` (the text itself if unparsable)."""
    from datetime import UTC, datetime

    try:
        at = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso
    if at.tzinfo is not None:
        at = at.astimezone(UTC)
        return at.strftime("%Y-%m-%d %H:%M UTC")
    return at.strftime("%Y-%m-%d %H:%M")


def stage_title(game: Game, stage: str | None) -> str:
    """The rule pack's title of a stage (``Outbreak``), or its id."""
    if not stage:
        return "-"
    rule = game.stage_rules.get(stage)
    return rule.title if rule is not None else stage
