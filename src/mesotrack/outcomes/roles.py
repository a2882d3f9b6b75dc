"""Who records outcomes: practitioners and nurses of the patient's clinic (managers read)."""

from mesotrack.accounts.models import Role

RECORDING_ROLES = frozenset({Role.PRACTITIONER, Role.NURSE})
