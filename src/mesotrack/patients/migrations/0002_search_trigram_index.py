from django.db import migrations

from mesotrack.core.migration_utils import postgres_sql

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS patient_search_trgm
    ON patients_patient USING gin (search_text gin_trgm_ops);
CREATE INDEX IF NOT EXISTS patient_phone_trgm
    ON patients_patient USING gin (phone_digits gin_trgm_ops);
"""
BACKWARD = """
DROP INDEX IF EXISTS patient_search_trgm;
DROP INDEX IF EXISTS patient_phone_trgm;
"""


class Migration(migrations.Migration):
    dependencies = [("patients", "0001_initial")]
    operations = [postgres_sql(FORWARD, BACKWARD)]
