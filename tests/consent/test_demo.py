import datetime as dt
import random
from collections import Counter

from django.utils import timezone

from mesotrack.consent import demo
from mesotrack.consent.models import ConsentWithdrawal, SignedConsent
from mesotrack.consent.selectors import consent_status_for_patient
from mesotrack.consent.signatures import signature_png_check
from mesotrack.core.demo import DemoContext
from tests.factories import PatientFactory


def _context(cast, seed: int = 7) -> DemoContext:
    patients = [PatientFactory(clinic=cast.clinic) for _ in range(40)]
    patients += [PatientFactory(clinic=cast.other_clinic) for _ in range(10)]
    return DemoContext(
        rng=random.Random(seed),
        today=timezone.localdate(),
        organisation=cast.clinic.organisation,
        clinics={"a": cast.clinic, "b": cast.other_clinic},
        users={
            "manager": cast.manager,
            "doctor": cast.practitioner,
            "nurse": cast.nurse,
            "reception": cast.receptionist,
            "doctor2": cast.other_practitioner,
            "patient": cast.patient_user,
        },
        patients=patients,
        profiles={},
        progress=lambda line: None,
    )


def test_demo_consents_are_intact_and_witnessed_by_staff_of_the_patients_clinic(cast):
    context = _context(cast)
    demo.seed(context)
    consents = list(SignedConsent.objects.select_related("template", "patient"))
    assert len(consents) > 50
    assert all(c.is_intact for c in consents)
    for consent in consents:
        expected = (
            {cast.other_practitioner}
            if consent.patient.clinic_id == cast.other_clinic.pk
            else {cast.receptionist, cast.nurse}
        )
        assert consent.witness in expected
    assert {c.kind for c in consents} == {
        "mesotherapy",
        "prp",
        "clinical_photography",
        "data_processing",
    }
    states = Counter(
        status.state for p in context.patients for status in consent_status_for_patient(p)
    )
    assert states["withdrawn"] and states["expired"] and states["valid"] and states["missing"]
    past = timezone.localdate() - dt.timedelta(days=1)
    assert all(c.signed_on <= timezone.localdate() for c in consents)
    assert all(w.withdrawn_at.date() <= past for w in ConsentWithdrawal.objects.all())


def test_demo_signatures_pass_the_same_checks_as_real_ones():
    signature = demo.signature_png(random.Random(1))
    assert signature_png_check(signature) == demo.SIGNATURE_SIZE
    assert signature == demo.signature_png(random.Random(1))
