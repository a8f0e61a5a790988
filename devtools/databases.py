"""Throw-away PostgreSQL databases for tests and benchmarks."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Iterator

POSTGRES_ADMIN_URL = os.environ.get(
    "QUIZ_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def throwaway_postgres_database(prefix: str) -> Iterator[str]:
    """Creates a PostgreSQL database named `prefix` + random suffix; yields its URL and
    drops it afterwards.

    Fails (does not skip) when the server on 127.0.0.1:5432 is unreachable:
    PostgreSQL support is part of the product.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"{prefix}{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_ADMIN_URL).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
