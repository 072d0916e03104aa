"""The journal contract, run against both backends (SQLite file, real PostgreSQL server).

Append-only, unique decision ids, stale writers refused, an event acknowledged only after
COMMIT is visible to every other connection, followers woken by new events.
"""

from __future__ import annotations

import threading
import time

import pytest

from tabletop.errors import JournalError, StaleWriter
from tabletop.journal.backends import JournalBackend, open_journal
from tabletop.model.events import ExerciseEnded, ExercisePaused, Record

AT = "2026-01-01T00:00:00+00:00"


def recs(first: int, decision: str, n: int = 1) -> list[Record]:
    """``n`` records of one decision numbered from ``first``."""
    return [Record(first + i, decision, AT, ExercisePaused()) for i in range(n)]


def test_both_backends_give_the_same_interface(target: str) -> None:
    with open_journal(target, create=True) as j:
        assert isinstance(j, JournalBackend)
        assert j.last_seq() == 0 and j.read() == []


def test_append_read_and_decision(target: str) -> None:
    with open_journal(target, create=True) as j:
        j.append(recs(1, "d1", 2), expected_last=0)
        j.append([Record(3, "d2", AT, ExerciseEnded(reason="done", round=1))], expected_last=2)
        assert j.last_seq() == 3
        got = j.read()
        assert [r.seq for r in got] == [1, 2, 3]
        assert [r.event.kind for r in got] == [
            "exercise_paused",
            "exercise_paused",
            "exercise_ended",
        ]
        assert [r.seq for r in j.read(after=2)] == [3]
        assert [r.seq for r in j.decision("d1")] == [1, 2]
        assert j.decision("nope") == []


def test_records_round_trip_exactly(target: str) -> None:
    written = recs(1, "d1", 3)
    with open_journal(target, create=True) as j:
        j.append(written, expected_last=0)
    with open_journal(target) as again:
        assert again.read() == written


def test_a_stale_writer_is_refused_and_writes_nothing(target: str) -> None:
    with open_journal(target, create=True) as a:
        a.append(recs(1, "d1"), expected_last=0)
        with open_journal(target) as b:
            b.append(recs(2, "d2"), expected_last=1)
        with pytest.raises(StaleWriter, match="another writer appended"):
            a.append(recs(2, "d3"), expected_last=1)
        assert [r.decision_id for r in a.read()] == ["d1", "d2"]


def test_a_stored_decision_id_is_refused(target: str) -> None:
    with open_journal(target, create=True) as j:
        j.append(recs(1, "d1"), expected_last=0)
        with pytest.raises(JournalError, match="decision already stored"):
            j.append(recs(2, "d1"), expected_last=1)
        assert j.last_seq() == 1


def test_create_refuses_a_journal_with_events(target: str) -> None:
    with open_journal(target, create=True) as j:
        j.append(recs(1, "d1"), expected_last=0)
    with pytest.raises(JournalError, match="already exists"):
        open_journal(target, create=True)


def test_opening_a_missing_journal_says_so(target: str) -> None:
    with pytest.raises(JournalError, match="no such journal|no exercise"):
        open_journal(target)


def test_a_follower_is_woken_by_a_commit(target: str) -> None:
    with open_journal(target, create=True) as writer:
        with open_journal(target) as idle:
            assert idle.wait(0, timeout=0.05) is False
        woke: list[int] = []
        ready = threading.Event()

        def follow() -> None:
            with open_journal(target) as follower:
                ready.set()
                if follower.wait(0, timeout=10):
                    woke.extend(r.seq for r in follower.read())

        thread = threading.Thread(target=follow)
        thread.start()
        ready.wait(10)
        time.sleep(0.1)
        writer.append(recs(1, "d1"), expected_last=0)
        thread.join(15)
        assert woke == [1]


def test_concurrent_writers_lose_nothing(target: str) -> None:
    """Four writers race; each retries when stale. Every decision is stored once, in order."""
    with open_journal(target, create=True):
        pass
    per_writer = 15

    def writer(n: int) -> None:
        with open_journal(target) as j:
            done = 0
            while done < per_writer:
                last = j.last_seq()
                try:
                    j.append(recs(last + 1, f"w{n}-{done}", 2), expected_last=last)
                except StaleWriter:
                    continue
                except JournalError as exc:  # SQLite: busy past its timeout
                    if "locked" in str(exc):
                        continue
                    raise
                done += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    with open_journal(target) as j:
        got = j.read()
    assert [r.seq for r in got] == list(range(1, 4 * per_writer * 2 + 1))
    decisions = [r.decision_id for r in got]
    assert len(set(decisions)) == 4 * per_writer
    # The two events of a decision are adjacent: nothing interleaved inside a transaction.
    assert all(decisions[i] == decisions[i + 1] for i in range(0, len(decisions), 2))


@pytest.mark.parametrize("direction", ["sqlite->postgresql", "postgresql->sqlite"])
def test_copy_between_backends_keeps_every_record(direction: str, tmp_path, pg_url: str) -> None:
    from tabletop.journal.copy import copy_journal

    file = str(tmp_path / "a.tabletop")
    src, dst = (file, pg_url) if direction.startswith("sqlite") else (pg_url, file)
    with open_journal(src, create=True) as j:
        j.append(recs(1, "d1", 3), expected_last=0)
        j.append(recs(4, "d2"), expected_last=3)
    assert copy_journal(src, dst) == 4
    with open_journal(src) as a, open_journal(dst) as b:
        assert b.read() == a.read()
    with pytest.raises(JournalError, match="already exists"):
        copy_journal(src, dst)


# ---------------------------------------------------------------- PostgreSQL bad input


def test_an_unreachable_server_is_one_clear_sentence(pg_server) -> None:
    from pg_server import free_port

    url = f"postgresql://postgres@127.0.0.1:{free_port()}/tabletop?exercise=x"
    with pytest.raises(JournalError) as info:
        open_journal(url, create=True)
    msg = str(info.value)
    assert "cannot connect to PostgreSQL" in msg and "check the host, port" in msg
    assert "\n" not in msg


def test_a_wrong_password_is_refused_and_not_echoed(pg_server) -> None:
    good = pg_server.add_password_user("trainer", "s3cret")
    with open_journal(good + "?exercise=pw", create=True):
        pass
    bad = good.replace("s3cret", "wrong") + "?exercise=pw"
    with pytest.raises(JournalError) as info:
        open_journal(bad)
    msg = str(info.value)
    assert "password authentication failed" in msg
    assert "wrong" not in msg and "***" in msg


def test_a_missing_database_is_named(pg_server) -> None:
    url = pg_server.url.replace("/tabletop", "/tabletp") + "?exercise=x"
    with pytest.raises(JournalError, match='database "tabletp" does not exist'):
        open_journal(url, create=True)


def test_a_scheme_typo_is_not_taken_for_a_file(tmp_path) -> None:
    with pytest.raises(JournalError, match="did you mean postgresql"):
        open_journal("postgresq://postgres@127.0.0.1/tabletop", create=True)


def test_an_exercise_must_be_named_when_the_database_holds_several(pg_server) -> None:
    for name in ("one", "two"):
        with open_journal(f"{pg_server.url}?exercise=many-{name}", create=True) as j:
            j.append(recs(1, "d"), expected_last=0)
    with pytest.raises(JournalError, match=r"add \?exercise=ID"):
        open_journal(pg_server.url)
    with pytest.raises(JournalError, match="must be letters"):
        open_journal(f"{pg_server.url}?exercise=x;drop")
    with pytest.raises(JournalError, match="no exercise 'nope'"):
        open_journal(f"{pg_server.url}?exercise=nope")


def test_events_cannot_be_edited_in_the_database(pg_url: str) -> None:
    import psycopg

    with open_journal(pg_url, create=True) as j:
        j.append(recs(1, "d1"), expected_last=0)
    conninfo = pg_url.split("?")[0]
    with psycopg.connect(conninfo, autocommit=True) as conn:
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("UPDATE tabletop_events SET payload = '{}'")
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("DELETE FROM tabletop_events")


def test_without_psycopg_the_message_says_what_to_install() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from tabletop.journal.backends import open_journal\n"
        "from tabletop.errors import JournalError\n"
        "try:\n    open_journal('postgresql://u@127.0.0.1/db?exercise=x')\n"
        "except JournalError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'tabletop[postgres]'" in out.stdout


# ---------------------------------------------------------------- same guarantees as SQLite


def test_creation_is_atomic_on_both_backends(target: str) -> None:
    """A creation that fails half-way (two events at seq 1) leaves no journal at all."""
    from tabletop.journal import create_journal

    with pytest.raises(JournalError):
        create_journal(target, [*recs(1, "a"), *recs(1, "b")])
    with pytest.raises(JournalError, match="no such journal|no exercise"):
        open_journal(target)
    with create_journal(target, recs(1, "a", 2)) as j:
        assert [r.seq for r in j.read()] == [1, 2]
    with pytest.raises(JournalError, match="already exists"):
        create_journal(target, recs(1, "c"))


def test_both_backends_chain_the_same_hashes(target: str, tmp_path) -> None:
    """The hash chain does not depend on the backend: a copy has the same head hash."""
    from tabletop.journal import create_journal
    from tabletop.journal.copy import copy_journal

    with create_journal(target, recs(1, "a", 2)) as j:
        j.append(recs(3, "b"), expected_last=2)
        j.read()
        head = j.integrity
        assert j.checkpoint() is True
    assert head is not None and head.ok and head.chained and head.events == 3
    other = tmp_path / "other.tabletop"
    copy_journal(target, other)
    with open_journal(other) as o:
        o.read()
        assert o.integrity == head
        o.read(after=1)
        assert o.integrity == head  # a later read keeps the verdict


def test_an_edited_event_breaks_the_chain_in_postgresql(pg_url: str) -> None:
    import psycopg

    from tabletop.journal import create_journal

    with create_journal(pg_url, recs(1, "a", 3)):
        pass
    conninfo = pg_url.split("?")[0]
    with psycopg.connect(conninfo, autocommit=True) as conn:
        # Whoever owns the database can switch the trigger off: the chain still shows it.
        conn.execute("ALTER TABLE tabletop_events DISABLE TRIGGER USER")
        try:
            conn.execute(
                "UPDATE tabletop_events SET at = '2030-01-01T00:00:00+00:00' "
                "WHERE exercise = %s AND seq = 2",
                (pg_url.split("exercise=")[1],),
            )
        finally:
            conn.execute("ALTER TABLE tabletop_events ENABLE TRIGGER USER")
    with open_journal(pg_url) as j:
        j.read()
        assert j.integrity is not None and j.integrity.first_bad == 2


def test_an_exercise_plays_and_resumes_in_postgresql(pg_server, game) -> None:
    """A URL without ?exercise= names a fresh exercise id, as a file name would be made."""
    from tabletop.app.journals import resume_exercise
    from tabletop.engine.exercise import Exercise
    from tabletop.journal import new_journal_target
    from tabletop.model import commands as cm

    url = str(new_journal_target(pg_server.url, game.scenario.scenario.id, "play"))
    assert f"exercise={game.scenario.scenario.id}-play-" in url
    again = str(new_journal_target(pg_server.url, game.scenario.scenario.id, "play"))
    ex = Exercise.new(game, url, seed=3)
    ex.submit(cm.AddObservation(text="first note"))
    ex.close()
    if again == url:  # same second: the next id is numbered
        assert new_journal_target(pg_server.url, game.scenario.scenario.id, "play") != url
    back = resume_exercise(url)
    try:
        assert back.state == back.replayed()
        assert back.records[-1].event.kind == "observation_recorded"
        assert back.integrity is not None and back.integrity.ok
    finally:
        back.close()


@pytest.mark.parametrize("typo", ["postgresql:/u@h/db", "postgresql//u@h/db", "postgres:u@h/db"])
def test_a_url_missing_its_slashes_is_named_a_typo(typo: str) -> None:
    with pytest.raises(JournalError, match="not a journal URL; write postgresql://"):
        open_journal(typo, create=True)
