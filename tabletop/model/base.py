"""Shared pydantic base classes for the data model."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, model_validator

from tabletop.sanitize import CONTROL, clean

_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Strict(BaseModel):
    """Immutable, strictly typed model that rejects unknown keys (typos become errors).

    Strict mode refuses silent coercions such as ``"yes"`` for a boolean or
    ``"1200"`` for a number (an integer is still accepted for a float).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class UserInput(Strict):
    """A model built from what a person typed (commands): text made safe, numbers finite.

    Control characters (but newline and tab) in any string are shown visibly
    (:func:`tabletop.sanitize.visible`), so a proposal title cannot send escape
    sequences to other players' terminals; nan and inf are refused.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _clean_text(cls, data: object) -> object:
        if type(data) is dict:
            search = CONTROL.search
            for value in data.values():
                t = type(value)
                if t is str:
                    if search(value) is not None:
                        return clean(data)
                elif t is list or t is dict or t is tuple:
                    return clean(data)  # clean copies only when something changes
        return data


def check_id(value: str) -> str:
    """Ids are plain identifiers: they appear in dotted names of expressions."""
    if not _ID.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a valid id: use letters, digits and '_' (not starting with a digit)"
        )
    return value


#: An id used in dotted expression names (``regions.<id>.hazard``).
Id = Annotated[str, AfterValidator(check_id)]
