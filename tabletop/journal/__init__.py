"""Durable, append-only event journal (SQLite in WAL mode)."""

from tabletop.journal.sqlite import Journal

__all__ = ["Journal"]
