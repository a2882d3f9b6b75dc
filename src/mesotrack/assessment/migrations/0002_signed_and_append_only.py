"""The database itself keeps signed assessments, addenda and overrides as written, so a bulk
`update()` or raw SQL cannot bypass the models' guards.

PostgreSQL refuses UPDATE and DELETE (its test flush uses TRUNCATE, which row triggers do not
see). SQLite refuses UPDATE only: its flush deletes rows, and deletion is already stopped by the
models and by the PROTECT foreign keys.
"""

from typing import Any

from django.db import migrations

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION assessment_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '%: this record cannot be changed (% refused)', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER assessment_signed_no_update_delete
        BEFORE UPDATE OR DELETE ON assessment_assessment
        FOR EACH ROW WHEN (OLD.status = 'signed')
        EXECUTE FUNCTION assessment_refuse_change();
    """,
    """
    CREATE TRIGGER assessment_addendum_append_only
        BEFORE UPDATE OR DELETE ON assessment_assessmentaddendum
        FOR EACH ROW EXECUTE FUNCTION assessment_refuse_change();
    """,
    """
    CREATE TRIGGER assessment_override_append_only
        BEFORE UPDATE OR DELETE ON assessment_screeningoverride
        FOR EACH ROW EXECUTE FUNCTION assessment_refuse_change();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS assessment_override_append_only ON assessment_screeningoverride;",
    "DROP TRIGGER IF EXISTS assessment_addendum_append_only ON assessment_assessmentaddendum;",
    "DROP TRIGGER IF EXISTS assessment_signed_no_update_delete ON assessment_assessment;",
    "DROP FUNCTION IF EXISTS assessment_refuse_change();",
]
SQLITE_FORWARD = [
    """
    CREATE TRIGGER assessment_signed_no_update
        BEFORE UPDATE ON assessment_assessment
        WHEN OLD.status = 'signed'
        BEGIN SELECT RAISE(ABORT, 'assessment_assessment: a signed assessment cannot be changed'); END;
    """,
    """
    CREATE TRIGGER assessment_addendum_no_update
        BEFORE UPDATE ON assessment_assessmentaddendum
        BEGIN SELECT RAISE(ABORT, 'assessment_assessmentaddendum: an addendum cannot be changed'); END;
    """,
    """
    CREATE TRIGGER assessment_override_no_update
        BEFORE UPDATE ON assessment_screeningoverride
        BEGIN SELECT RAISE(ABORT, 'assessment_screeningoverride: an override cannot be changed'); END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS assessment_override_no_update;",
    "DROP TRIGGER IF EXISTS assessment_addendum_no_update;",
    "DROP TRIGGER IF EXISTS assessment_signed_no_update;",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def apply(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
