"""Input forms: they parse what people type; the services decide what is allowed."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from mesotrack.accounts.models import User
from mesotrack.courses.models import PackageEntryKind, Weekday, Zone
from mesotrack.courses.protocols import MODALITY_LABELS, ProtocolDefinition
from mesotrack.formulary.models import Recipe

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M")
HOURS_HELP = "For example 09:00-13:00, 14:00-17:30. Leave empty when closed."
PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 — a programming error otherwise
    return field


def model_field(form: forms.Form, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 — a programming error otherwise
    return field


def people(users: list[User]) -> QuerySet[User]:
    return User.objects.filter(pk__in=[u.pk for u in users])


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class CourseForm(forms.Form):
    protocol = forms.ChoiceField()
    recipe = forms.ModelChoiceField(queryset=Recipe.objects.none())
    target_zones = forms.MultipleChoiceField(
        label="Zones to treat", choices=Zone.choices, widget=forms.CheckboxSelectMultiple
    )
    practitioner = PersonChoiceField(queryset=User.objects.none())
    start_date = forms.DateField(label="Start date", widget=DATE)
    preferred_time = forms.TimeField(
        label="Preferred time",
        required=False,
        widget=TIME,
        help_text="Each visit is booked at this time when it is free.",
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        protocols: dict[str, ProtocolDefinition],
        recipes: Any,
        practitioners: list[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for code, protocol in protocols.items():
            label = f"{protocol.label} — {protocol.session_count} sessions"
            groups.setdefault(MODALITY_LABELS[protocol.modality], []).append((code, label))
        choice_field(self, "protocol").choices = [("", "Choose a protocol"), *groups.items()]
        model_field(self, "recipe").queryset = recipes
        model_field(self, "practitioner").queryset = people(practitioners)


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class ReplanForm(forms.Form):
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    replan_from = forms.DateField(
        label="Re-plan from",
        required=False,
        widget=DATE,
        help_text="The first day the rest of the course may use (normally the day after).",
    )


class CancelForm(ReplanForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class MomentForm(forms.Form):
    date = forms.DateField(widget=DATE)
    time = forms.TimeField(widget=TIME)
    outside_window_reason = forms.CharField(
        label="Reason to book outside the protocol's window",
        required=False,
        help_text="Practitioners and managers only; leave empty to stay inside the window.",
    )


class BookForm(MomentForm):
    date = forms.DateField(required=False, widget=DATE)
    time = forms.TimeField(required=False, widget=TIME)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("date")) != bool(data.get("time")):
            raise forms.ValidationError("Give both a date and a time, or neither.")
        return data


class PackageSellForm(forms.Form):
    sessions = forms.IntegerField(min_value=1, max_value=60)
    price_per_session = forms.DecimalField(
        label="Price per session", min_value=Decimal(0), decimal_places=2, max_digits=10
    )
    currency = forms.CharField(max_length=3, initial="GBP")


class PackageCorrectForm(forms.Form):
    package = forms.TypedChoiceField(coerce=int)
    kind = forms.ChoiceField(
        choices=[(PackageEntryKind.REFUND, "Refund"), (PackageEntryKind.ADJUSTMENT, "Adjustment")]
    )
    sessions = forms.IntegerField(min_value=-60, max_value=60)
    amount = forms.DecimalField(decimal_places=2, max_digits=10, initial=0)
    reason = forms.CharField()

    def __init__(self, *args: Any, packages: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "package").choices = [
            (p.pk, f"{p} sold {p.created_at:%d %b %Y}") for p in packages
        ]


def parse_periods(text: str) -> list[tuple[dt.time, dt.time]]:
    periods = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = PERIOD.match(part)
        if not match:
            raise forms.ValidationError("Write hours as 09:00-17:30; separate periods with commas.")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            periods.append((dt.time(h1, m1), dt.time(h2, m2)))
        except ValueError:
            raise forms.ValidationError("That is not a time of day.") from None
    return periods


def format_periods(periods: list[tuple[dt.time, dt.time]]) -> str:
    return ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in periods)


class WeekForm(forms.Form):
    """One field per weekday, e.g. "09:00-13:00, 14:00-17:30"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in Weekday:
            self.fields[f"day_{day.value}"] = forms.CharField(
                label=day.label, required=False, help_text=HOURS_HELP if day.value == 0 else ""
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day in Weekday:
            name = f"day_{day.value}"
            try:
                data[name] = parse_periods(data.get(name) or "")
            except forms.ValidationError as error:
                self.add_error(name, error)
        return data

    def hours(self) -> dict[int, list[tuple[dt.time, dt.time]]]:
        return {
            d.value: self.cleaned_data[f"day_{d.value}"]
            for d in Weekday
            if self.cleaned_data[f"day_{d.value}"]
        }


class PractitionerWeekForm(WeekForm):
    practitioner = PersonChoiceField(queryset=User.objects.none())

    def __init__(self, *args: Any, practitioners: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_field(self, "practitioner").queryset = people(practitioners)
        self.order_fields(["practitioner"])


class ClosureForm(forms.Form):
    starts_on = forms.DateField(label="First day", widget=DATE)
    ends_on = forms.DateField(label="Last day", widget=DATE)
    reason = forms.CharField(max_length=200)


class ChairForm(forms.Form):
    name = forms.CharField(max_length=60)


class LeaveForm(forms.Form):
    practitioner = PersonChoiceField(queryset=User.objects.none())
    starts_on = forms.DateField(label="First day", widget=DATE)
    ends_on = forms.DateField(label="Last day", widget=DATE)
    reason = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, practitioners: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_field(self, "practitioner").queryset = people(practitioners)


STEP_LINE = re.compile(r"^(induction|consolidation|maintenance)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$")
MEASUREMENT_LINE = re.compile(r"^([a-z][a-z0-9_]*)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.+)$")


class ProtocolForm(forms.Form):
    based_on = forms.ChoiceField(
        label="Start from",
        help_text="Technique defaults and measurement visits are copied from it.",
    )
    code = forms.RegexField(
        regex=r"^[a-z][a-z0-9_]*$", max_length=60, help_text="Lower-case letters, digits and _."
    )
    label = forms.CharField(max_length=200)
    schedule = forms.CharField(
        max_length=300, help_text="In words, e.g. weekly ×6, then monthly ×3."
    )
    session_minutes = forms.IntegerField(min_value=15, max_value=240, initial=30)
    steps = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One line per step: phase, sessions, days between sessions, days earlier "
        "and days later allowed — e.g. “induction 6 7 0 3”.",
    )
    measurements = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. One line per visit: code, day, days earlier, days later, name — "
        "e.g. “month_3 91 14 14 3-month review”. Empty: copied from the protocol above.",
    )
    source = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), help_text="Where this regimen comes from."
    )

    def __init__(self, *args: Any, shipped: dict[str, ProtocolDefinition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shipped = shipped
        choice_field(self, "based_on").choices = [(code, p.label) for code, p in shipped.items()]

    def clean_steps(self) -> list[dict[str, Any]]:
        steps = []
        for line in filter(
            None, (line.strip() for line in self.cleaned_data["steps"].splitlines())
        ):
            match = STEP_LINE.match(line)
            if not match:
                raise forms.ValidationError(
                    f"Cannot read “{line}”: write e.g. “induction 6 7 0 3”."
                )
            phase, sessions, interval, before, after = match.groups()
            steps.append(
                {
                    "phase": phase,
                    "sessions": int(sessions),
                    "interval_days": int(interval),
                    "window_before_days": int(before),
                    "window_after_days": int(after),
                }
            )
        return steps

    def clean_measurements(self) -> list[dict[str, Any]] | None:
        text = self.cleaned_data.get("measurements") or ""
        if not text.strip():
            return None
        visits = []
        for line in filter(None, (line.strip() for line in text.splitlines())):
            match = MEASUREMENT_LINE.match(line)
            if not match:
                raise forms.ValidationError(
                    f"Cannot read “{line}”: write e.g. “month_3 91 14 14 3-month review”."
                )
            code, day, before, after, label = match.groups()
            visits.append(
                {
                    "code": code,
                    "label": label.strip(),
                    "day_offset": int(day),
                    "window_before_days": int(before),
                    "window_after_days": int(after),
                    "with_first_session": code == "baseline" and int(day) == 0,
                }
            )
        return visits

    def definition(self) -> dict[str, Any]:
        data = self.cleaned_data
        base = self.shipped[data["based_on"]]
        measurements = data["measurements"]
        return {
            "code": data["code"],
            "label": data["label"],
            "modality": base.modality,
            "schedule": data["schedule"],
            "description": f"Adapted from {base.label}.",
            "steps": data["steps"],
            "measurements": measurements
            if measurements is not None
            else [m.model_dump(mode="json") for m in base.measurements],
            "technique": base.technique.model_dump(mode="json"),
            "session_minutes": data["session_minutes"],
            "measurement_minutes": base.measurement_minutes,
            "source": data["source"],
        }
