"""Counting throttled attempts in the diary's own database, so all workers share one count.

Flask-Limiter keeps its counts in a ``limits`` storage named by a URL. ``memory://`` counts in each
server process, so with ``DIARY_WORKERS=2`` every limit was twice the README's; Redis or Memcached
share a count but are one more service to run. ``database://``, the default, keeps the counts in
the table ``rate_limit_count`` of the database the diary already uses (SQLite or PostgreSQL): one
row per limit and key, with the end of its window, counted up in one atomic statement. Keys are
stored as their SHA-256, so the table holds no address or email. A ``redis://`` URL counts in
Redis instead (README "Several servers"), which takes these writes off the database.

Only the fixed-window strategy (Flask-Limiter's default) is supported: it needs just these calls.
"""

import hashlib
import time

from limits.storage import Storage
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from diary.db import get_engine

# One statement, so two workers counting the same key at once both count: a new window starts
# at the first attempt after the last one ended.
COUNT = text("""
    INSERT INTO rate_limit_count (key_hash, count, window_ends) VALUES (:key, :amount, :window_ends)
    ON CONFLICT (key_hash) DO UPDATE SET
        count = CASE WHEN rate_limit_count.window_ends <= :now THEN :amount
                     ELSE rate_limit_count.count + :amount END,
        window_ends = CASE WHEN rate_limit_count.window_ends <= :now THEN :window_ends
                           ELSE rate_limit_count.window_ends END
    RETURNING count""")
FORGET_ENDED = text("DELETE FROM rate_limit_count WHERE window_ends <= :now")
CURRENT = text("SELECT count, window_ends FROM rate_limit_count "
               "WHERE key_hash = :key AND window_ends > :now")
CLEAR = text("DELETE FROM rate_limit_count WHERE key_hash = :key")
CLEAR_ALL = text("DELETE FROM rate_limit_count")


def hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class DatabaseStorage(Storage):
    """The ``database://`` storage: the app's own engine, looked up per call (one Limiter serves
    every app of the process, and each app has its own database)."""

    STORAGE_SCHEME = ["database"]

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        # Its own short transaction: a view's session must not decide whether an attempt counted.
        with get_engine().begin() as connection:
            connection.execute(FORGET_ENDED, {"now": now})  # keeps the table as small as its windows
            return connection.execute(COUNT, {"key": hashed(key), "amount": amount, "now": now,
                                              "window_ends": now + expiry}).scalar_one()

    def current(self, key: str):
        with get_engine().connect() as connection:
            return connection.execute(CURRENT, {"key": hashed(key), "now": time.time()}).first()

    def get(self, key: str) -> int:
        row = self.current(key)
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = self.current(key)
        return row.window_ends if row else time.time()

    def check(self) -> bool:
        try:
            with get_engine().connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int:
        with get_engine().begin() as connection:
            return connection.execute(CLEAR_ALL).rowcount

    def clear(self, key: str) -> None:
        with get_engine().begin() as connection:
            connection.execute(CLEAR, {"key": hashed(key)})
