"""Shared pydantic base classes for the data model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Immutable model that rejects unknown keys (facilitator typos become errors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
