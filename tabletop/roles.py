"""Who may do what from a terminal: roles, the facilitator's PIN and its unlock period.

A terminal (a :class:`~tabletop.app.session.Session`, later a network connection)
holds one or more :class:`Role` s: ``facilitator``, ``agency`` (with the agency's
id) or ``evaluator``. :func:`refusal` says whether those roles may submit a
command; the facilitator's screens that show scenario secrets (the list of
unfired injects, true hidden values) ask :func:`may_steer` first.

The hot-seat terminal is shared by the players, so it holds the facilitator's role
only while the facilitator has unlocked it with the PIN set at the start
(:class:`FacilitatorLock`). Only a salted scrypt hash of the PIN goes into the
journal (a ``facilitator_pin_set`` event). No clock is read here but the one the
lock is given.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from tabletop.model import commands as cm
from tabletop.model.events import FacilitatorPinSet, JoinCodesIssued, Record

RoleKind = Literal["facilitator", "agency", "evaluator"]

#: The name of the evaluator's role on the command line (``--as evaluator``).
EVALUATOR = "evaluator"
#: The facilitator's seat when joining a shared exercise (``--as facilitator``).
FACILITATOR = "facilitator"

#: Commands only the facilitator may submit.
FACILITATOR_COMMANDS = frozenset(
    {
        "pause",
        "resume",
        "release_inject",
        "force_stage",
        "adjudicate",
        "undo_turn",
        "end_exercise",
        "release_adhoc_inject",
        "set_facilitator_pin",
        "issue_join_codes",
    }
)
#: Commands of the evaluators (the facilitator may submit them too): notes, ratings, the
#: hot wash's feedback forms and the improvement plan.
EVALUATOR_COMMANDS = frozenset(
    {"add_observation", "confirm_rating", "submit_feedback", "update_plan_action"}
)
#: Commands an agency's players may also submit, for their own agency only.
AGENCY_EVALUATION_COMMANDS = frozenset({"submit_feedback"})
#: Commands of the players: each for the agency it names only.
PLAYER_COMMANDS = frozenset(c.model_fields["kind"].default for c in cm.PLAYER_COMMANDS)
#: Commands any terminal may submit (the first event; the record of a refusal).
OPEN_COMMANDS = frozenset({"start", "record_access_refused"})

#: Seconds the facilitator's role stays unlocked on the hot-seat terminal after the
#: PIN or the last facilitator action (a handover to the next agency locks it at once).
UNLOCK_SECONDS = 120.0
#: Shortest PIN accepted.
PIN_MIN_LENGTH = 4
PIN_MAX_LENGTH = 64

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
SCHEME = f"scrypt:{_SCRYPT_N}:{_SCRYPT_R}:{_SCRYPT_P}"

MSG_AGENCY_TERMINAL = "Facilitator actions are not available on an agency's terminal."
MSG_EVALUATOR_TERMINAL = (
    "The evaluator's terminal observes and rates; it cannot steer the exercise."
)
MSG_LOCKED = "Facilitator actions need the facilitator's PIN."
MSG_WRONG_PIN = "Wrong facilitator PIN."
MSG_NOT_YOUR_AGENCY = "This terminal does not play that agency."
MSG_NOT_EVALUATOR = "Observations and ratings are for the facilitator and the evaluators."
MSG_WRONG_CODE = "Wrong join code for {seat}: ask the facilitator for this seat's code."
MSG_CODE_NEEDED = (
    "This exercise has join codes: give the code of {seat} (--code, or the join screen)."
)
MSG_UNKNOWN_SEAT = "Unknown seat '{seat}' (seats: {seats})."


@dataclass(frozen=True, slots=True)
class Role:
    """One role a terminal holds.

    Attributes:
        kind: ``facilitator``, ``agency`` or ``evaluator``.
        agency: The agency's id (``agency`` roles only).
    """

    kind: RoleKind
    agency: str | None = None

    @classmethod
    def facilitator(cls) -> Role:
        """The facilitator's role."""
        return cls("facilitator")

    @classmethod
    def evaluator(cls) -> Role:
        """An evaluator's role."""
        return cls("evaluator")

    @classmethod
    def of_agency(cls, agency: str) -> Role:
        """The role of the players of ``agency``."""
        return cls("agency", agency)

    @property
    def label(self) -> str:
        """``facilitator``, ``evaluator`` or ``agency:<id>`` (as journaled)."""
        return f"agency:{self.agency}" if self.kind == "agency" else self.kind


def permits(role: Role, command: cm.Command) -> bool:
    """Whether ``role`` may submit ``command``."""
    k = command.kind
    if k in OPEN_COMMANDS:
        return True
    if role.kind == "facilitator":
        return k in FACILITATOR_COMMANDS or k in EVALUATOR_COMMANDS
    if role.kind == "evaluator":
        return k in EVALUATOR_COMMANDS
    mine = getattr(command, "agency", None) == role.agency
    return (k in PLAYER_COMMANDS or k in AGENCY_EVALUATION_COMMANDS) and mine


def refusal(roles: Iterable[Role], command: cm.Command, *, can_unlock: bool = False) -> str | None:
    """Why a terminal holding ``roles`` may not submit ``command`` (None: it may).

    Args:
        roles: The roles the terminal holds now.
        command: The command.
        can_unlock: The terminal may gain the facilitator's role with the PIN (hot-seat).
    """
    held = list(roles)
    if any(permits(r, command) for r in held):
        return None
    k = command.kind
    if k in FACILITATOR_COMMANDS or k in EVALUATOR_COMMANDS:
        if k in EVALUATOR_COMMANDS and not can_unlock:
            return MSG_NOT_EVALUATOR
        return steer_refusal(held, can_unlock=can_unlock)
    return MSG_NOT_YOUR_AGENCY


def steer_refusal(roles: Iterable[Role], *, can_unlock: bool = False) -> str:
    """The message for a terminal without the facilitator's role."""
    if can_unlock:
        return MSG_LOCKED
    if any(r.kind == "evaluator" for r in roles):
        return MSG_EVALUATOR_TERMINAL
    return MSG_AGENCY_TERMINAL


def may_steer(roles: Iterable[Role]) -> bool:
    """Whether the terminal holds the facilitator's role now."""
    return any(r.kind == "facilitator" for r in roles)


# --------------------------------------------------------------------------- the PIN


@dataclass(frozen=True, slots=True)
class PinHash:
    """A salted hash of the facilitator's PIN (what the journal keeps).

    Attributes:
        scheme: ``scrypt:N:r:p``.
        salt: Hex salt (16 random bytes).
        digest: Hex scrypt digest.
    """

    scheme: str
    salt: str
    digest: str

    def command(self) -> cm.SetFacilitatorPin:
        """The command that journals this hash."""
        return cm.SetFacilitatorPin(scheme=self.scheme, salt=self.salt, digest=self.digest)


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be the facilitator's PIN (None when it can)."""
    if len(pin) < PIN_MIN_LENGTH:
        return f"The PIN needs at least {PIN_MIN_LENGTH} characters."
    if len(pin) > PIN_MAX_LENGTH:
        return f"The PIN may have at most {PIN_MAX_LENGTH} characters."
    if pin != pin.strip():
        return "The PIN may not start or end with a space."
    return None


def _scrypt(pin: str, salt: bytes, scheme: str) -> bytes | None:
    try:
        name, n, r, p = scheme.split(":")
        if name != "scrypt":
            return None
        return hashlib.scrypt(
            pin.encode("utf-8"), salt=salt, n=int(n), r=int(r), p=int(p), dklen=32
        )
    except (ValueError, MemoryError):
        return None


def hash_pin(pin: str, *, salt: bytes | None = None) -> PinHash:
    """Hash ``pin`` with a fresh random salt (scrypt).

    Raises:
        ValueError: the PIN is too short or too long (:func:`pin_problem`).
    """
    problem = pin_problem(pin)
    if problem is not None:
        raise ValueError(problem)
    salt = os.urandom(16) if salt is None else salt
    digest = _scrypt(pin, salt, SCHEME)
    assert digest is not None
    return PinHash(SCHEME, salt.hex(), digest.hex())


def pin_matches(pin: str, stored: PinHash) -> bool:
    """Whether ``pin`` is the one ``stored`` was made from (constant-time compare)."""
    try:
        salt = bytes.fromhex(stored.salt)
    except ValueError:
        return False
    digest = _scrypt(pin, salt, stored.scheme)
    return digest is not None and hmac.compare_digest(digest.hex(), stored.digest)


def journaled_pin(records: Iterable[Record]) -> PinHash | None:
    """The latest PIN hash in a journal (None when no PIN was set)."""
    found: PinHash | None = None
    for r in records:
        e = r.event
        if isinstance(e, FacilitatorPinSet):
            found = PinHash(e.scheme, e.salt, e.digest)
    return found


class FacilitatorLock:
    """The facilitator's role on a shared keyboard: locked until the PIN is entered.

    Args:
        pin: The PIN's hash (None: no PIN set yet).
        clock: Seconds, monotonic (``time.monotonic``; tests pass their own).
        period: Seconds the role stays unlocked after the PIN or the last use.
    """

    def __init__(
        self,
        pin: PinHash | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        period: float = UNLOCK_SECONDS,
    ) -> None:
        self.pin = pin
        self.clock = clock
        self.period = period
        self._until = float("-inf")

    @property
    def has_pin(self) -> bool:
        """Whether a PIN has been set."""
        return self.pin is not None

    @property
    def unlocked(self) -> bool:
        """Whether the facilitator's role is held now."""
        return self.clock() < self._until

    def unlock(self, pin: str) -> bool:
        """Unlock with ``pin``. True when it is the facilitator's PIN."""
        if self.pin is None or not pin_matches(pin, self.pin):
            return False
        self.grant()
        return True

    def grant(self) -> None:
        """Hold the role for a period from now (the PIN was just entered or chosen)."""
        self._until = self.clock() + self.period

    def touch(self) -> None:
        """Keep the role for another period (after each facilitator action); locked stays locked."""
        if self.unlocked:
            self.grant()

    def lock(self) -> None:
        """Give the role up now (at a handover, or on request)."""
        self._until = float("-inf")


# ---------------------------------------------------------------- join codes

#: Letters and digits of a join code (no 0/O, 1/I/L: read aloud and typed without doubt).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
#: Characters of a join code (shown in two groups of four).
CODE_LENGTH = 8


def new_join_code() -> str:
    """A random join code such as ``K7QM-3XPA`` (40 bits, from :mod:`secrets`)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_code(code: str) -> str:
    """A typed code as hashed: upper case, spaces and dashes left out."""
    return "".join(ch for ch in code.upper() if ch not in " -\t")


def join_seats(order: Iterable[str]) -> list[str]:
    """Every seat of a shared exercise: the agencies in order, the facilitator, the evaluator."""
    return [*order, FACILITATOR, EVALUATOR]


def issue_join_codes(seats: Iterable[str]) -> tuple[dict[str, str], cm.IssueJoinCodes]:
    """New codes for ``seats`` and the command that journals their salted hashes.

    Returns:
        Seat -> code (show it once; it is not stored), and the command to submit.
    """
    codes: dict[str, str] = {}
    hashed: list[cm.SeatCode] = []
    for seat in seats:
        code = new_join_code()
        h = hash_pin(normalize_code(code))
        codes[seat] = code
        hashed.append(cm.SeatCode(seat=seat, scheme=h.scheme, salt=h.salt, digest=h.digest))
    return codes, cm.IssueJoinCodes(codes=hashed)


def journaled_codes(records: Iterable[Record]) -> dict[str, PinHash]:
    """Seat -> hash of its join code, from the latest ``join_codes_issued`` (empty: no codes)."""
    found: dict[str, PinHash] = {}
    for r in records:
        e = r.event
        if isinstance(e, JoinCodesIssued):
            found = {c.seat: PinHash(c.scheme, c.salt, c.digest) for c in e.codes}
    return found


def code_matches(codes: dict[str, PinHash], seat: str, code: str) -> bool:
    """Whether ``code`` is the join code of ``seat`` (False for a seat without a code)."""
    stored = codes.get(seat)
    return stored is not None and pin_matches(normalize_code(code), stored)


def seat_role(seat: str) -> Role:
    """The role a seat gives: the facilitator's, the evaluator's or an agency's."""
    if seat == FACILITATOR:
        return Role.facilitator()
    if seat == EVALUATOR:
        return Role.evaluator()
    return Role.of_agency(seat)
