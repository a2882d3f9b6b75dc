"""Who does what in the formulary (clinical_rules.md has no say here; the clinic's own split).

Managers and practitioners manage products, lots (quarantine, recall) and recipes; nurses receive
stock, record waste and adjustments and prepare batches; receptionists have no access. Stock and
recipes are read across the organisation (a group's clinics share suppliers and recalls); patient
names in ledgers and recall lists only within the clinics the user works at.
"""

from mesotrack.accounts.models import Role

FORMULARY_ROLES = frozenset({Role.MANAGER, Role.PRACTITIONER, Role.NURSE})
MANAGING_ROLES = frozenset({Role.MANAGER, Role.PRACTITIONER})
STOCK_ROLES = frozenset({Role.MANAGER, Role.PRACTITIONER, Role.NURSE})
SETTINGS_ROLES = frozenset({Role.MANAGER})
