"""A signed session is a signed clinical note: the database itself refuses to change it or the
injections and lot uses under it, so a bulk `update()` or raw SQL cannot bypass the model's guard.

PostgreSQL also refuses DELETE (its test flush uses TRUNCATE, which row triggers do not see).
SQLite refuses UPDATE only: its flush deletes rows, and deletion is already stopped by the model
and by the PROTECT foreign keys.
"""

from typing import Any

from django.db import migrations

CHILDREN = ["charting_injectionrecord", "charting_sessionlotuse"]

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION charting_signed_is_immutable() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '%: a signed session cannot be changed (% refused)', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER charting_session_signed_no_update_delete
        BEFORE UPDATE OR DELETE ON charting_treatmentsession
        FOR EACH ROW WHEN (OLD.status = 'signed')
        EXECUTE FUNCTION charting_signed_is_immutable();
    """,
    """
    CREATE OR REPLACE FUNCTION charting_child_of_signed_is_immutable() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM charting_treatmentsession
                   WHERE id = OLD.session_id AND status = 'signed') THEN
            RAISE EXCEPTION '%: a signed session cannot be changed (% refused)',
                TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    *[
        f"""
        CREATE TRIGGER {table}_signed_no_update_delete
            BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION charting_child_of_signed_is_immutable();
        """
        for table in CHILDREN
    ],
]
POSTGRES_BACKWARD = [
    *[f"DROP TRIGGER IF EXISTS {table}_signed_no_update_delete ON {table};" for table in CHILDREN],
    "DROP TRIGGER IF EXISTS charting_session_signed_no_update_delete ON charting_treatmentsession;",
    "DROP FUNCTION IF EXISTS charting_child_of_signed_is_immutable();",
    "DROP FUNCTION IF EXISTS charting_signed_is_immutable();",
]
SQLITE_FORWARD = [
    """
    CREATE TRIGGER charting_session_signed_no_update
        BEFORE UPDATE ON charting_treatmentsession
        WHEN OLD.status = 'signed'
        BEGIN SELECT RAISE(ABORT, 'charting: a signed session cannot be changed'); END;
    """,
    *[
        f"""
        CREATE TRIGGER {table}_signed_no_update
            BEFORE UPDATE ON {table}
            WHEN (SELECT status FROM charting_treatmentsession WHERE id = OLD.session_id)
                = 'signed'
            BEGIN SELECT RAISE(ABORT, 'charting: a signed session cannot be changed'); END;
        """
        for table in CHILDREN
    ],
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS charting_session_signed_no_update;",
    *[f"DROP TRIGGER IF EXISTS {table}_signed_no_update;" for table in CHILDREN],
]


def _run(statements: dict[str, list[str]]) -> Any:
    def apply(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("charting", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
