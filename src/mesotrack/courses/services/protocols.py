"""A clinic's own protocols, validated by the same schema as the shipped ones."""

from typing import Any

from django.db import transaction
from pydantic import ValidationError

from mesotrack.accounts.models import Clinic, User
from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError
from mesotrack.courses.models import ClinicProtocol
from mesotrack.courses.protocols import ProtocolDefinition, shipped_protocols
from mesotrack.courses.roles import PLANNING_ROLES, require_role


def _problem(error: ValidationError) -> DomainError:
    first = error.errors()[0]
    location = [str(part) for part in first["loc"]]
    message = str(first["msg"]).removeprefix("Value error, ")
    if len(location) > 1:
        message = f"{'.'.join(location)}: {message}"
    return DomainError(message, field=location[0] if location else None)


@transaction.atomic
def clinic_protocol_save(
    *, actor: User, clinic: Clinic, definition: dict[str, Any]
) -> ClinicProtocol:
    """Create the clinic's protocol, or replace the definition of the one with that code.
    Courses already planned keep the definition they were planned with."""
    require_role(
        actor,
        clinic.pk,
        PLANNING_ROLES,
        "Only a practitioner or manager of this clinic can write its protocols.",
    )
    try:
        parsed = ProtocolDefinition.model_validate(definition)
    except ValidationError as error:
        raise _problem(error) from None
    if parsed.code in shipped_protocols():
        raise DomainError(
            "That code belongs to a published protocol: choose another.", field="code"
        )
    protocol = (
        ClinicProtocol.objects.select_for_update().filter(clinic=clinic, code=parsed.code).first()
    )
    created = protocol is None
    protocol = protocol or ClinicProtocol(clinic=clinic, code=parsed.code, created_by=actor)
    protocol.label = parsed.label
    protocol.modality = parsed.modality
    protocol.definition = parsed.model_dump(mode="json")
    protocol.is_active = True
    protocol.full_clean(exclude=["clinic", "created_by"], validate_unique=False)
    protocol.save()
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        clinic=clinic,
        obj=protocol,
        detail={"code": parsed.code, "sessions": parsed.session_count},
    )
    return protocol


@transaction.atomic
def clinic_protocol_retire(*, actor: User, clinic: Clinic, code: str) -> ClinicProtocol:
    require_role(
        actor,
        clinic.pk,
        PLANNING_ROLES,
        "Only a practitioner or manager of this clinic can write its protocols.",
    )
    protocol = ClinicProtocol.objects.filter(clinic=clinic, code=code).first()
    if protocol is None:
        raise DomainError("The clinic has no protocol with that code.", field="code")
    protocol.is_active = False
    protocol.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor, action=Action.UPDATE, clinic=clinic, obj=protocol, detail={"retired": code}
    )
    return protocol
