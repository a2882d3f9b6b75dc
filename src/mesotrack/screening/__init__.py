"""Contraindication screening and the treatment decision aid (issue 3), as pure functions.

Public API (no models, no database):
- profile: ScreeningProfile, ProposedTreatment, LabReading, Stage
- engine: screen(profile, proposed, lab_thresholds=...) -> ScreeningResult (flags, blocked)
- labs: LabThresholds, default_lab_thresholds(), lab_flags(...)
- scales: SCALES, scales_for_diagnosis, salt_score, pull_test_positive, asfs_total
- options: rank_options(profile, result) -> list[TreatmentOption]
- vocabulary: vocabulary() -> every code with its label and source
- adapters: screening_profile_from_clinical(clinical, on_date=..., ...), TodayAnswers

Every rule is a row of a table under src/mesotrack/rules/data/ with its source; see each
module's docstring for where its rules come from.
"""
