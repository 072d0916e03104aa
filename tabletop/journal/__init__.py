"""Durable, append-only, hash-chained event journal: a SQLite file or PostgreSQL (docs/journals.md)."""

from tabletop.journal.backends import (
    JournalBackend,
    create_journal,
    describe_target,
    is_journal_url,
    journal_exists,
    journal_folder,
    new_journal_target,
    open_journal,
)
from tabletop.journal.chain import Integrity
from tabletop.journal.paths import fresh_journal_path
from tabletop.journal.sqlite import Journal

__all__ = [
    "Integrity",
    "Journal",
    "JournalBackend",
    "create_journal",
    "describe_target",
    "fresh_journal_path",
    "is_journal_url",
    "journal_exists",
    "journal_folder",
    "new_journal_target",
    "open_journal",
]
