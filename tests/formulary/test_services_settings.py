import pytest

from mesotrack.audit.models import AuditEvent
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.formulary import services
from mesotrack.formulary.models import FormularySettings


def test_a_manager_sets_the_expiry_warning_and_it_is_audited(cast):
    services.formulary_settings_set(actor=cast.manager, clinic=cast.clinic, expiry_warning_days=60)
    services.formulary_settings_set(actor=cast.manager, clinic=cast.clinic, expiry_warning_days=14)
    assert FormularySettings.objects.get(clinic=cast.clinic).expiry_warning_days == 14
    changes = AuditEvent.objects.filter(object_type="formulary.FormularySettings").order_by("id")
    assert [e.detail["expiry_warning_days"] for e in changes] == [[30, 60], [60, 14]]


def test_the_window_stays_between_1_and_365_days_and_only_managers_set_it(cast):
    with pytest.raises(DomainError, match="Warn between 1 and 365 days ahead."):
        services.formulary_settings_set(
            actor=cast.manager, clinic=cast.clinic, expiry_warning_days=366
        )
    with pytest.raises(PermissionDenied, match="As practitioner at Leeds you cannot change"):
        services.formulary_settings_set(
            actor=cast.practitioner, clinic=cast.clinic, expiry_warning_days=10
        )
    assert not FormularySettings.objects.exists()
