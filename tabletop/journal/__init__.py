"""Durable, append-only event journal (SQLite in WAL mode), hash-chained (docs/journals.md)."""

from tabletop.journal.chain import Integrity
from tabletop.journal.paths import fresh_journal_path
from tabletop.journal.sqlite import Journal

__all__ = ["Integrity", "Journal", "fresh_journal_path"]
