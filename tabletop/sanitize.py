"""Control characters never reach a terminal raw.

Text enters tabletop from scenario files (refused there, with a located error),
from commands (player and facilitator text) and from journals. Every control
character but newline and tab (C0, DEL and C1: the ESC of ANSI sequences, OSC 52
clipboard writes, window titles, clear-screen, the 8-bit CSI) is replaced by a
visible stand-in at those entry points, so nothing later prints it raw.
"""

from __future__ import annotations

import re
from typing import Any

#: Control characters other than newline and tab (C0, DEL, C1).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: The same characters as JSON escapes (json.dumps writes them as ``\\u001b``),
#: or raw (JSON allows DEL and C1 unescaped): a cheap test before walking a payload.
CONTROL_IN_JSON = re.compile(r"\\u00[01]|\\u007[fF]|\\u00[89]|[\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400 CONTROL PICTURES: ESC is shown as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 has no picture: the replacement character


def visible(text: str) -> str:
    """``text`` with every control character but newline and tab shown as a symbol.

    ESC becomes ``␛`` (U+241B), other C0 characters their U+2400 control picture,
    DEL ``␡`` and C1 characters ``�``; the length is unchanged, so columns still line up.
    """
    if CONTROL.search(text) is None:
        return text
    return CONTROL.sub(_picture, text)


def clean(value: Any) -> Any:
    """``value`` with :func:`visible` applied to every string in it (dict keys too).

    Returns ``value`` itself when nothing needs changing (the common case: no copy).
    """
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, dict):
        if not any(_dirty(k) or _dirty(v) for k, v in value.items()):
            return value
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        if not any(_dirty(v) for v in value):
            return value
        items = [clean(v) for v in value]
        return items if isinstance(value, list) else tuple(items)
    return value


def _dirty(value: Any) -> bool:
    """Whether :func:`clean` would change ``value``."""
    if isinstance(value, str):
        return CONTROL.search(value) is not None
    if isinstance(value, dict):
        return any(_dirty(k) or _dirty(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_dirty(v) for v in value)
    return False


def first_control(text: str) -> str | None:
    """The first control character of ``text`` (but newline and tab) as ``U+001B``, or None."""
    match = CONTROL.search(text)
    return None if match is None else f"U+{ord(match.group()):04X}"
