"""On PostgreSQL the database itself refuses to change or delete signed consents and withdrawals,
so a bulk `update()` or raw SQL cannot bypass the model's guard."""

from django.db import migrations

from mesotrack.core.migration_utils import postgres_sql

FORWARD = """
CREATE OR REPLACE FUNCTION consent_signed_record_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is a signed record: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER consent_signedconsent_immutable
    BEFORE UPDATE OR DELETE ON consent_signedconsent
    FOR EACH ROW EXECUTE FUNCTION consent_signed_record_immutable();
CREATE TRIGGER consent_withdrawal_immutable
    BEFORE UPDATE OR DELETE ON consent_consentwithdrawal
    FOR EACH ROW EXECUTE FUNCTION consent_signed_record_immutable();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS consent_signedconsent_immutable ON consent_signedconsent;
DROP TRIGGER IF EXISTS consent_withdrawal_immutable ON consent_consentwithdrawal;
DROP FUNCTION IF EXISTS consent_signed_record_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("consent", "0002_initial_templates")]
    operations = [postgres_sql(FORWARD, BACKWARD)]
