"""The migrations build exactly the schema the models describe, and downgrade cleanly."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from coursehub import create_app
from coursehub.extensions import db


def _fresh_app(template_database):
    url, drop = template_database()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": sa.pool.NullPool}})
    with app.app_context():
        db.drop_all()  # the copy comes with the models' schema; start from nothing
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    return app, drop


def test_models_and_migrations_agree(template_database):
    app, drop = _fresh_app(template_database)
    try:
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                differences = compare_metadata(context, db.metadata)
            assert differences == [], f"models and migrations differ: {differences}"
    finally:
        with app.app_context():
            db.engine.dispose()
        drop()


def test_downgrade_removes_every_table(template_database):
    app, drop = _fresh_app(template_database)
    try:
        with app.app_context():
            upgrade()
            downgrade(revision="base")
            tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
            assert tables == set()
    finally:
        with app.app_context():
            db.engine.dispose()
        drop()
