"""Background tasks of the outcomes app: thin, load by id and call a service."""

from django_tasks import task


@task()
def analyse_trichoscopy(analysis_id: int) -> str:
    from mesotrack.outcomes.services.analyses import trichoscopy_analysis_run

    return trichoscopy_analysis_run(analysis_id=analysis_id)
