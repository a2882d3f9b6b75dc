"""A treatment session charted on the scalp map: the workflow's state, the injections per zone,
the lots and prepared batches drawn, addenda and follow-up calls.

A signed session is a signed clinical note: the model refuses to change it and a database
trigger refuses UPDATE (and on PostgreSQL DELETE) of a signed row, so corrections are addenda.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from mesotrack.core.models import TimeStampedModel

SIGNED_MESSAGE = "This session is signed and cannot be changed; add an addendum instead."


class SignedSessionError(RuntimeError):
    """Raised on any attempt to change or delete a signed session or its injections."""


class SessionModality(models.TextChoices):
    MESOTHERAPY = "mesotherapy", "Mesotherapy"
    PRP = "prp", "PRP"


class SessionStatus(models.TextChoices):
    CHECKED_IN = "checked_in", "Checked in"
    CHECKLIST_DONE = "checklist_done", "Checklist done"
    IN_PROCEDURE = "in_procedure", "In procedure"
    POST_PROCEDURE = "post_procedure", "Post-procedure"
    SIGNED = "signed", "Signed"
    ABANDONED = "abandoned", "Abandoned"


OPEN_STATUSES = (
    SessionStatus.CHECKED_IN,
    SessionStatus.CHECKLIST_DONE,
    SessionStatus.IN_PROCEDURE,
    SessionStatus.POST_PROCEDURE,
)


class ScalpZone(models.TextChoices):
    """The same codes as a course's target zones (courses.models.Zone)."""

    FRONTAL_HAIRLINE = "frontal_hairline", "Frontal hairline"
    FRONTAL = "frontal", "Frontal"
    MID_SCALP = "mid_scalp", "Mid-scalp"
    VERTEX = "vertex", "Vertex (crown)"
    LEFT_TEMPORAL = "left_temporal", "Left temporal"
    RIGHT_TEMPORAL = "right_temporal", "Right temporal"
    LEFT_PARIETAL = "left_parietal", "Left parietal"
    RIGHT_PARIETAL = "right_parietal", "Right parietal"
    OCCIPITAL = "occipital", "Occipital (donor area)"


class Technique(models.TextChoices):
    NAPPAGE = "nappage", "Nappage"
    POINT_BY_POINT = "point_by_point", "Point by point"
    LINEAR = "linear", "Linear (retrograde)"
    MESO_GUN = "meso_gun", "Meso-gun"
    MICRONEEDLING = "microneedling", "Microneedling"


class NumbingAgent(models.TextChoices):
    NONE = "", "None"
    EMLA = "emla", "Lidocaine–prilocaine cream (EMLA)"
    LIDOCAINE = "lidocaine", "Lidocaine injection"
    ICE = "ice", "Ice / cooling"


class _SignedGuard(models.Model):
    """Refuses save/delete once the session (self or its parent) is signed."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._session_is_signed():
            raise SignedSessionError(SIGNED_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._session_is_signed():
            raise SignedSessionError(SIGNED_MESSAGE)
        return super().delete(*args, **kwargs)

    def _session_is_signed(self) -> bool:
        raise TypeError(f"{type(self).__name__} must say how to find whether its session is signed")


class TreatmentSession(_SignedGuard, TimeStampedModel):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="treatment_sessions"
    )
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    appointment = models.OneToOneField(
        "courses.Appointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="treatment_session",
    )
    course = models.ForeignKey(
        "courses.TreatmentCourse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="treatment_sessions",
    )
    modality = models.CharField(max_length=20, choices=SessionModality.choices)
    recipe_version = models.ForeignKey(
        "formulary.RecipeVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assisting_nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.CHECKED_IN
    )
    checked_in_at = models.DateTimeField()
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Pre-procedure checklist
    identity_confirmed = models.BooleanField(default=False)
    today_answers = models.JSONField(default=dict, blank=True)
    checklist_done_at = models.DateTimeField(null=True, blank=True)
    checklist_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    numbing_agent = models.CharField(
        max_length=20, choices=NumbingAgent.choices, blank=True, default=""
    )
    numbing_amount_g = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    numbing_lidocaine_mg = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True
    )
    numbing_area = models.CharField(max_length=200, blank=True)
    numbing_applied_at = models.DateTimeField(null=True, blank=True)
    early_start_reason = models.TextField(blank=True)
    # Procedure and after
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    pain_nrs = models.PositiveSmallIntegerField(null=True, blank=True)
    immediate_reactions = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    aftercare_text = models.TextField(blank=True)
    abandoned_at = models.DateTimeField(null=True, blank=True)
    abandon_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_in_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "checked_in_at"], name="charting_session_patient"),
            models.Index(fields=["clinic", "status", "signed_at"], name="charting_session_signed"),
            models.Index(fields=["practitioner", "signed_at"], name="charting_session_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_nrs__isnull=True) | Q(pain_nrs__lte=10),
                name="charting_pain_nrs_0_10",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed") | Q(signed_at__isnull=False, signed_by__isnull=False),
                name="charting_signed_has_signer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_modality_display()} session {self.checked_in_at:%d %b %Y}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self._stored_status: str | None = self.status

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> "TreatmentSession":
        instance = super().from_db(db, field_names, values)
        instance._stored_status = instance.__dict__.get("status")
        return instance

    @property
    def is_signed(self) -> bool:
        return self.status == SessionStatus.SIGNED

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def session_ref(self) -> str:
        return f"charting.TreatmentSession:{self.pk}"

    def _session_is_signed(self) -> bool:
        if self._state.adding or self.pk is None:
            return False
        stored = getattr(self, "_stored_status", None)
        if stored is None:
            stored = (
                TreatmentSession.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            )
        return stored == SessionStatus.SIGNED


class _SessionChild(_SignedGuard):
    class Meta:
        abstract = True

    def _session_is_signed(self) -> bool:
        session_id = getattr(self, "session_id", None)
        if session_id is None:
            return False
        return TreatmentSession.objects.filter(pk=session_id, status=SessionStatus.SIGNED).exists()


class InjectionRecord(_SessionChild):
    """What was injected into one zone."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="injections"
    )
    zone = models.CharField(max_length=20, choices=ScalpZone.choices)
    technique = models.CharField(max_length=20, choices=Technique.choices)
    points = models.PositiveSmallIntegerField(default=0)
    volume_ml = models.DecimalField(max_digits=5, decimal_places=2)
    depth_mm = models.DecimalField(max_digits=3, decimal_places=1)
    needle = models.CharField(max_length=40, help_text="Gauge × length, e.g. 32G × 4 mm")
    # Optional individual points: [{"x": 0-100, "y": 0-100, "view": "top"}, ...]
    point_coordinates = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["session", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "zone"], name="charting_one_record_per_zone"
            ),
            models.CheckConstraint(condition=Q(volume_ml__gt=0), name="charting_volume_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_zone_display()}: {self.volume_ml} mL"


class SessionLotUse(_SessionChild):
    """Volume drawn from one lot or one prepared batch; stock moves when the session is signed."""

    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="lot_uses")
    lot = models.ForeignKey(
        "formulary.Lot", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        "formulary.PreparedBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    syringes = models.PositiveSmallIntegerField(default=0)
    volume_ml = models.DecimalField(max_digits=6, decimal_places=2)
    # Copied from the session when it is signed, so safety signals by lot scan one table.
    signed_clinic = models.ForeignKey(
        "accounts.Clinic",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["session", "id"]
        indexes = [models.Index(fields=["signed_clinic", "signed_at"], name="charting_use_signed")]
        constraints = [
            models.CheckConstraint(
                condition=Q(lot__isnull=False, batch__isnull=True)
                | Q(lot__isnull=True, batch__isnull=False),
                name="charting_use_lot_or_batch",
            ),
            models.CheckConstraint(condition=Q(volume_ml__gt=0), name="charting_use_positive"),
        ]

    def __str__(self) -> str:
        source = f"lot {self.lot_id}" if self.lot_id else f"batch {self.batch_id}"
        return f"{self.volume_ml} mL from {source}"


class SessionAddendum(models.Model):
    """A later correction or note on a signed session; never changed once written."""

    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"Addendum {self.written_at:%d %b %Y}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise SignedSessionError("An addendum cannot be changed once written.")
        super().save(*args, **kwargs)


class SessionCosign(models.Model):
    """A practitioner's countersignature of a session signed by a nurse."""

    session = models.OneToOneField(
        TreatmentSession, on_delete=models.PROTECT, related_name="cosign"
    )
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cosigned_at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Co-signed {self.cosigned_at:%d %b %Y}"


class CallKind(models.TextChoices):
    EARLY = "early", "24–72 hours"
    WEEK = "week", "7 days"


class FollowUpCall(TimeStampedModel):
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="follow_up_calls"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=CallKind.choices)
    due_from = models.DateTimeField()
    due_by = models.DateTimeField()
    called_at = models.DateTimeField(null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reached = models.BooleanField(null=True)
    outcome_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["due_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "kind"], name="charting_one_call_per_kind")
        ]
        indexes = [models.Index(fields=["clinic", "called_at", "due_from"], name="charting_calls")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} call"
