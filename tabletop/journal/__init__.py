"""Durable, append-only event journal (SQLite in WAL mode)."""

from tabletop.journal.paths import fresh_journal_path
from tabletop.journal.sqlite import Journal

__all__ = ["Journal", "fresh_journal_path"]
