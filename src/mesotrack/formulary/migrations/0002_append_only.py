"""On PostgreSQL the database itself refuses to change or delete stock movements and recipe
versions (with their components), so a bulk `update()` or raw SQL cannot rewrite the ledger or
what a past session was given."""

from django.db import migrations

from mesotrack.core.migration_utils import postgres_sql

TABLES = {
    "formulary_stockmovement": "formulary_stockmovement_append_only",
    "formulary_recipeversion": "formulary_recipeversion_immutable",
    "formulary_recipecomponent": "formulary_recipecomponent_immutable",
}
FORWARD = """
CREATE OR REPLACE FUNCTION formulary_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% cannot be changed: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {trigger}
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION formulary_refuse_change();
"""
    for table, trigger in TABLES.items()
)
BACKWARD = "".join(
    f"DROP TRIGGER IF EXISTS {trigger} ON {table};\n" for table, trigger in TABLES.items()
) + "DROP FUNCTION IF EXISTS formulary_refuse_change();\n"


class Migration(migrations.Migration):
    dependencies = [("formulary", "0001_initial")]
    operations = [postgres_sql(FORWARD, BACKWARD)]
