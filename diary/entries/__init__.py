"""The daily diary: the quick log, full entries, backfill, history, edit and delete."""
