from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "mesotrack.courses"
    label = "courses"
    verbose_name = "Courses and calendars"

    def ready(self) -> None:
        from mesotrack.courses.chart import course_chart_section, course_timeline
        from mesotrack.courses.protocols import shipped_protocols
        from mesotrack.patients.chart import register_chart_section, register_timeline

        # A malformed protocol table stops start-up, like the other rule tables.
        shipped_protocols()
        register_chart_section(course_chart_section)
        register_timeline(course_timeline)
        self._offer_cohort_groupings()

    def _offer_cohort_groupings(self) -> None:
        from mesotrack.courses.cohort import course_protocol_groups, course_recipe_groups
        from mesotrack.outcomes.cohort import register_cohort_grouping

        register_cohort_grouping("course_protocol", "Course protocol", course_protocol_groups)
        register_cohort_grouping("course_recipe", "Course recipe", course_recipe_groups)
