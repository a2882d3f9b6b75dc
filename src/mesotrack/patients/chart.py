"""The patient chart is assembled from sections and timeline entries that each app contributes.

Domain apps register providers in their AppConfig.ready(), so patients never imports them and
later apps (assessment, courses, charting) add to the chart without touching this module. Each
provider must run a fixed number of queries, whatever the length of the patient's history.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mesotrack.accounts.selectors import AnyUser
from mesotrack.patients.models import Patient


@dataclass(frozen=True)
class Alert:
    level: str  # "danger" | "warning" | "info"
    text: str


@dataclass(frozen=True)
class ChartSection:
    key: str
    title: str
    order: int
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    alerts: tuple[Alert, ...] = ()


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    kind: str
    title: str
    detail: str = ""
    url: str = ""


SectionProvider = Callable[[Patient, AnyUser], ChartSection | None]
TimelineProvider = Callable[[Patient, AnyUser], list[TimelineEntry]]

_section_providers: list[SectionProvider] = []
_timeline_providers: list[TimelineProvider] = []


def register_chart_section(provider: SectionProvider) -> SectionProvider:
    if provider not in _section_providers:
        _section_providers.append(provider)
    return provider


def register_timeline(provider: TimelineProvider) -> TimelineProvider:
    if provider not in _timeline_providers:
        _timeline_providers.append(provider)
    return provider


def chart_sections(patient: Patient, user: AnyUser) -> list[ChartSection]:
    sections = [s for s in (provider(patient, user) for provider in _section_providers) if s]
    return sorted(sections, key=lambda s: s.order)


def patient_timeline(patient: Patient, user: AnyUser) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(
            patient.created_at, "registration", "Registered", f"Record {patient.record_number}"
        )
    ]
    for provider in _timeline_providers:
        entries.extend(provider(patient, user))
    return sorted(entries, key=lambda e: e.when, reverse=True)
