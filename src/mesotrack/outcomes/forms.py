"""Forms of the outcome pages. They check the shape of the input; ranges, consent, image safety
and who may do what are the services' (their errors land on the field they name)."""

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile

from mesotrack.core.errors import DomainError
from mesotrack.outcomes.codes import CorrectionKind, Landmark, PhotoView, ScalpRegion
from mesotrack.outcomes.cohort import TREATED, CohortQuery, cohort_groupings, measure_choices
from mesotrack.outcomes.measures import MEASURES, SITE_INPUTS, VISIT_INPUTS, Measure
from mesotrack.outcomes.models import DeviceProfile, MeasurementSite

BLANK = [("", "—")]
SCORE_LABELS = {
    -3: "−3 greatly decreased",
    -2: "−2 moderately decreased",
    -1: "−1 slightly decreased",
    0: "0 no change",
    1: "+1 slightly increased",
    2: "+2 moderately increased",
    3: "+3 greatly increased",
}
SCORE_CHOICES = BLANK + [(str(k), v) for k, v in SCORE_LABELS.items()]
SCORE_FIELDS = ("global_photographic_score", "self_assessment_score")


def add_service_error(
    form: forms.Form, error: DomainError, fields: Mapping[str, str] | None = None
) -> None:
    """Show a service's refusal on the field it names (or above the form)."""
    name = (fields or {}).get(error.field or "", error.field)
    form.add_error(name if name in form.fields else None, error.message)


def _number_field(measure: Measure) -> forms.Field:
    label = f"{measure.label} ({measure.unit})" if measure.unit else measure.label
    if measure.integer:
        return forms.IntegerField(label=label, required=False, help_text=measure.help_text)
    return forms.FloatField(label=label, required=False, help_text=measure.help_text)


def measure_field(measure: Measure) -> forms.Field:
    if measure.key in SCORE_FIELDS:
        return forms.TypedChoiceField(
            label=measure.label,
            choices=SCORE_CHOICES,
            coerce=int,
            empty_value=None,
            required=False,
            help_text=measure.help_text,
        )
    return _number_field(measure)


class SiteForm(forms.Form):
    label = forms.CharField(max_length=60, help_text="A short name, e.g. “Vertex A”.")
    region = forms.ChoiceField(choices=BLANK + ScalpRegion.choices)
    landmark = forms.ChoiceField(choices=BLANK + Landmark.choices, required=False)
    offset_back_mm = forms.FloatField(
        label="Offset towards the back (mm)",
        required=False,
        help_text="Along the midline from the landmark; negative towards the face.",
    )
    offset_right_mm = forms.FloatField(
        label="Offset to the patient's right (mm)",
        required=False,
        help_text="Negative to the patient's left.",
    )
    tattoo_dot = forms.BooleanField(label="Marked with a tattoo dot", required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


def site_field_name(site: MeasurementSite, key: str) -> str:
    return f"s{site.pk}_{key}"


class VisitForm(forms.Form):
    """One visit's measures: the visit-level ones, then one block of fields per site."""

    measured_on = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    label = forms.CharField(
        label="Visit", max_length=60, required=False, help_text="E.g. “Baseline”, “3 months”."
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    qol_instrument = forms.CharField(
        label="Quality-of-life questionnaire", max_length=60, required=False
    )

    def __init__(self, *args: Any, sites: Iterable[MeasurementSite] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sites = list(sites)
        for measure in VISIT_INPUTS:
            self.fields[measure.key] = measure_field(measure)
        self.fields["qol_instrument"] = self.fields.pop("qol_instrument")
        self.fields["notes"] = self.fields.pop("notes")
        for site in self.sites:
            for measure in SITE_INPUTS:
                self.fields[site_field_name(site, measure.key)] = _number_field(measure)

    def visit_fields(self) -> list[forms.BoundField]:
        names = ["measured_on", "label", *(m.key for m in VISIT_INPUTS), "qol_instrument", "notes"]
        return [self[name] for name in names]

    def site_blocks(self) -> list[tuple[MeasurementSite, list[forms.BoundField]]]:
        return [
            (site, [self[site_field_name(site, m.key)] for m in SITE_INPUTS]) for site in self.sites
        ]

    def visit_data(self) -> dict[str, Any]:
        names = ["measured_on", "label", "notes", "qol_instrument", *(m.key for m in VISIT_INPUTS)]
        return {name: self.cleaned_data.get(name) for name in names}

    def site_values(self) -> list[tuple[MeasurementSite, dict[str, Any]]]:
        return [
            (
                site,
                {m.key: self.cleaned_data.get(site_field_name(site, m.key)) for m in SITE_INPUTS},
            )
            for site in self.sites
        ]

    def error_fields(self) -> dict[str, str]:
        """Service field names ("sites.<index>.<measure>") → this form's field names."""
        return {
            f"sites.{index}.{m.key}": site_field_name(site, m.key)
            for index, site in enumerate(self.sites)
            for m in SITE_INPUTS
        }


class VisitEditForm(forms.Form):
    measured_on = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    label = forms.CharField(label="Visit", max_length=60, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for measure in VISIT_INPUTS:
            self.fields[measure.key] = measure_field(measure)
        self.fields["qol_instrument"] = forms.CharField(
            label="Quality-of-life questionnaire", max_length=60, required=False
        )
        self.fields["notes"] = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 2}), required=False
        )


class CaptureForm(forms.Form):
    site = forms.ModelChoiceField(queryset=MeasurementSite.objects.none(), empty_label=None)

    def __init__(self, *args: Any, sites: Iterable[MeasurementSite] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site_field = cast(forms.ModelChoiceField, self.fields["site"])
        site_field.queryset = MeasurementSite.objects.filter(pk__in=[s.pk for s in sites])
        for measure in SITE_INPUTS:
            self.fields[measure.key] = _number_field(measure)

    def values(self) -> dict[str, Any]:
        return {m.key: self.cleaned_data.get(m.key) for m in SITE_INPUTS}


class _ImageForm(forms.Form):
    image = forms.FileField(
        label="Image file",
        help_text="PNG, JPEG or TIFF. Camera metadata is removed; the capture time is kept.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/tiff"}),
    )
    taken_on = forms.DateField(
        label="Taken on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Leave empty to use the camera's date (or today).",
    )
    site = forms.ModelChoiceField(
        queryset=MeasurementSite.objects.none(), required=False, label="Measurement site"
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, sites: Iterable[MeasurementSite] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site_field = cast(forms.ModelChoiceField, self.fields["site"])
        site_field.queryset = MeasurementSite.objects.filter(pk__in=[s.pk for s in sites])

    def upload(self) -> UploadedFile:
        return self.cleaned_data["image"]


class PhotoForm(_ImageForm):
    view = forms.ChoiceField(choices=BLANK + PhotoView.choices)
    field_order = ["image", "view", "taken_on", "site", "notes"]


class AnalysisForm(_ImageForm):
    device_profile = forms.ModelChoiceField(
        queryset=DeviceProfile.objects.none(), required=False, label="Device profile"
    )
    px_per_mm = forms.FloatField(
        label="Or pixels per millimetre",
        required=False,
        help_text="From a calibration slide or the scale etched on the contact plate.",
    )
    region_cx = forms.FloatField(label="Region centre x (px)", required=False)
    region_cy = forms.FloatField(label="Region centre y (px)", required=False)
    region_r = forms.FloatField(label="Region radius (px)", required=False)
    field_order = ["image", "site", "taken_on", "device_profile", "px_per_mm"]

    def __init__(
        self,
        *args: Any,
        sites: Iterable[MeasurementSite] = (),
        profiles: Iterable[DeviceProfile] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, sites=sites, **kwargs)
        profile_field = cast(forms.ModelChoiceField, self.fields["device_profile"])
        profile_field.queryset = DeviceProfile.objects.filter(pk__in=[p.pk for p in profiles])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [data.get(name) for name in ("region_cx", "region_cy", "region_r")]
        if any(p is not None for p in parts) and not all(p is not None for p in parts):
            self.add_error(
                "region_r", "Give the circle's centre and radius, or leave all three empty."
            )
        return data

    def region(self) -> dict[str, Any] | None:
        cx, cy, r = (self.cleaned_data.get(n) for n in ("region_cx", "region_cy", "region_r"))
        if cx is None or cy is None or r is None:
            return None
        return {"kind": "circle", "cx": cx, "cy": cy, "r": r}


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(choices=CorrectionKind.choices)
    hair_ref = forms.CharField(
        label="Hair",
        max_length=30,
        required=False,
        help_text="For remove or restore, e.g. auto:12.",
    )
    x = forms.FloatField(label="x (px)", required=False, help_text="For add.")
    y = forms.FloatField(label="y (px)", required=False)
    is_vellus = forms.BooleanField(label="The added hair is a vellus hair", required=False)


class OutcomeSettingsForm(forms.Form):
    vellus_threshold_um = forms.FloatField(
        label="Vellus threshold (µm)",
        help_text="Thinner hairs count as vellus: 30 µm in trichoscopy, 40 in TrichoScan.",
    )
    responder_gain_percent = forms.FloatField(label="Responder: density gain of at least (%)")
    responder_after_months = forms.IntegerField(label="… at (months after baseline)")
    responder_window_days = forms.IntegerField(label="… give or take (days)")


class DeviceProfileForm(forms.Form):
    name = forms.CharField(max_length=80)
    px_per_mm = forms.FloatField(label="Pixels per millimetre")
    magnification = forms.CharField(max_length=20, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CohortForm(forms.Form):
    measure = forms.ChoiceField(choices=[])
    region = forms.ChoiceField(
        label="Sites",
        choices=[(TREATED, "Treated sites (all but the occipital reference)")]
        + [(value, label) for value, label in ScalpRegion.choices],
        required=False,
        help_text="For measures taken per site.",
    )
    months = forms.IntegerField(label="Change at (months)", min_value=1, max_value=36)
    window_days = forms.IntegerField(label="Give or take (days)", min_value=7, max_value=120)
    grouping = forms.ChoiceField(label="Group by", choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = measure_choices()  # type: ignore[attr-defined]
        self.fields["grouping"].choices = [  # type: ignore[attr-defined]
            (g.key, g.label) for g in cohort_groupings()
        ]

    def query(self) -> CohortQuery:
        if not self.is_valid():
            return CohortQuery()
        data = self.cleaned_data
        measure = data["measure"] if data["measure"] in MEASURES else CohortQuery.measure
        return CohortQuery(
            measure=measure,
            region=data.get("region") or TREATED,
            months=data["months"],
            window_days=data["window_days"],
            grouping=data["grouping"],
        )
