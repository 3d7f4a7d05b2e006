"""The store: the only code that speaks SQL or writes the journal's files.

One way to read and write. Every read and every write of the journal goes through the
standard library's sqlite3, on a connection from Store (database.py): Store.reading() for
reads, Store.writing() for one transaction under the write lock. Reads live in queries.py
(lists, reports, the calendar, reflect's prompt), entries.py (show, search) and rhythms.py
(rhythms, pauses, days per category); they return frozen records (core/records.py,
core/objects.py) and plain values. One exception: completing an entry id on TAB
(entries.completion_ids) opens the file read-only itself, with a short timeout, so that a TAB
never waits, migrates or creates a file. The entry table has one writer, entries.py (add,
put, remove), and its columns are known once: a Record's fields, then the two keys derived
from them (schema.py). practice_day, the practice of each category and day that rhythms and
streaks read, is kept equal to the entries by that one writer.

SQLModel only declares the tables (models.py, tied to schema.py's migrations by
tests/integration/test_schema.py) and serves sync's hub on PostgreSQL; no command that reads
or writes the journal imports it.

Why: what a person waits for is the whole process, and on 100,000 entries importing SQLModel
and SQLAlchemy and building an engine per call cost more than the queries (the figures are
in docs/benchmarks.md, "Why the journal is read through sqlite3").
"""
