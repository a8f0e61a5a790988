"""Alembic environment of the results database.

The connection comes from `config.attributes["connection"]` (set by
career_quiz.repository.upgrade_schema, which `python -m career_quiz.cli init-db` calls), else from
the URL `-x url=...`, `sqlalchemy.url` in alembic.ini, or career_quiz.settings.database_url().
SQLite needs batch mode for ALTER (render_as_batch).
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from career_quiz import settings
from career_quiz.repository import Base, make_engine

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return (
        context.get_x_argument(as_dictionary=True).get("url")
        or config.get_main_option("sqlalchemy.url")
        or settings.database_url()
    )


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    """Writes the SQL instead of running it (`alembic upgrade head --sql`)."""
    context.configure(
        url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Runs the migrations on the given connection or on a new engine for the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    engine = make_engine(_url())
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
