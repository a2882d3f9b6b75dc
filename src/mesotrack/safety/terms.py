"""The controlled vocabulary of adverse events and its grading tables, read from rule tables.

The rule loader keeps these tables' extra columns unchecked, so they are checked here, once.
"""

from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mesotrack.rules.loader import load_table

Evidence = Literal["P", "S", "C", "V"]


class _Columns(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _TermColumns(_Columns):
    meddra_preferred_term: str | None
    meddra_evidence: Evidence | None
    injection_site: bool
    seed_list: bool


class _GradeColumns(_Columns):
    grade: int = Field(ge=1, le=5)
    injection_site_criterion: str = Field(min_length=1)
    general_criterion: str = Field(min_length=1)


@dataclass(frozen=True)
class AdverseEventTerm:
    code: str
    label: str
    source: str
    meddra_preferred_term: str | None
    meddra_verified: bool
    injection_site: bool
    seed_list: bool

    @property
    def meddra_label(self) -> str:
        if not self.meddra_preferred_term:
            return "—"
        return self.meddra_preferred_term + ("" if self.meddra_verified else " [V]")


@dataclass(frozen=True)
class Grade:
    grade: int
    label: str
    injection_site_criterion: str
    general_criterion: str
    source: str


OTHER_TERM = "other"


@cache
def adverse_event_terms() -> dict[str, AdverseEventTerm]:
    """Every controlled term by code, in the table's order."""
    terms = {}
    for row in load_table("adverse_event_terms"):
        columns = _TermColumns.model_validate(row.model_dump())
        terms[row.code] = AdverseEventTerm(
            code=row.code,
            label=row.label,
            source=row.source,
            meddra_preferred_term=columns.meddra_preferred_term,
            meddra_verified=columns.meddra_evidence not in (None, "V"),
            injection_site=columns.injection_site,
            seed_list=columns.seed_list,
        )
    return terms


@cache
def adverse_event_grades() -> dict[int, Grade]:
    """CTCAE grades 1–5 with the injection-site and the general criteria."""
    grades = {}
    for row in load_table("adverse_event_grades"):
        columns = _GradeColumns.model_validate(row.model_dump())
        grades[columns.grade] = Grade(
            grade=columns.grade,
            label=row.label,
            injection_site_criterion=columns.injection_site_criterion,
            general_criterion=columns.general_criterion,
            source=row.source,
        )
    if sorted(grades) != [1, 2, 3, 4, 5]:
        raise ValueError("adverse_event_grades must hold grades 1 to 5 exactly once")
    return grades


def term_choices() -> list[tuple[str, str]]:
    return [(term.code, term.label) for term in adverse_event_terms().values()]


def grade_choices() -> list[tuple[int, str]]:
    return [(grade.grade, grade.label) for grade in adverse_event_grades().values()]


def term_label(code: str) -> str:
    term = adverse_event_terms().get(code)
    return term.label if term else code
