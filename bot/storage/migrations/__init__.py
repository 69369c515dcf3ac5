"""The database schema's revisions, run by alembic (`bot.storage.migrate` runs them).

The bot upgrades its database to the newest revision at every start (`Store.open`), and
`python -m bot db upgrade|current|history` does it by hand. Revision 0001 is the schema of
the last release before alembic; a database that release made is recognised by its
`schema_version` row and brought under alembic without losing a row.

Adding a revision (a column, a table, an index):

1. Change the table in `bot/storage/schema.py`.
2. Write the revision: `.venv/bin/alembic revision --rev-id 0002 -m "add guild greeting"`
   (alembic.ini at the repo root) makes `versions/r0002_add_guild_greeting.py` with
   `down_revision` set to the newest one. Ids are 4-digit numbers in order. Fill in
   `upgrade()` with `op` calls; against a database, `--autogenerate` drafts them.
3. Alter tables inside `with op.batch_alter_table("table") as batch:`, so that SQLite
   (which cannot alter most things in place) gets the table copied over; PostgreSQL
   alters it directly. A new NOT NULL column needs a `server_default`, for the rows
   already there.
4. `tests/storage/test_migrations.py` fails while the revisions and schema.py differ,
   and upgrades a populated database of the previous release on SQLite and PostgreSQL.

A revision never imports the bot's current tables: it describes the schema as it was at
that revision, so that later changes to schema.py do not rewrite history.
"""
