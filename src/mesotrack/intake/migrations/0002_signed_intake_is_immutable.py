"""A signed intake is a signed clinical note: the database itself refuses to change it, so a bulk
`update()` or raw SQL cannot bypass the model's guard.

PostgreSQL also refuses DELETE (its test flush uses TRUNCATE, which row triggers do not see).
SQLite refuses UPDATE only: its flush deletes rows, and deletion is already stopped by the model
and by the PROTECT foreign keys.
"""

from typing import Any

from django.db import migrations

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION intake_signed_is_immutable() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'intake_intake: a signed intake cannot be changed (% refused)', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER intake_signed_no_update_delete
        BEFORE UPDATE OR DELETE ON intake_intake
        FOR EACH ROW WHEN (OLD.status = 'signed')
        EXECUTE FUNCTION intake_signed_is_immutable();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS intake_signed_no_update_delete ON intake_intake;",
    "DROP FUNCTION IF EXISTS intake_signed_is_immutable();",
]
SQLITE_FORWARD = [
    """
    CREATE TRIGGER intake_signed_no_update
        BEFORE UPDATE ON intake_intake
        WHEN OLD.status = 'signed'
        BEGIN SELECT RAISE(ABORT, 'intake_intake: a signed intake cannot be changed'); END;
    """
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS intake_signed_no_update;"]


def _run(statements: dict[str, list[str]]) -> Any:
    def apply(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
