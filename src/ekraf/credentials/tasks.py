"""Background jobs of the credentials app; each is idempotent and resumable."""

from django_tasks import task

from . import openbadges, services


@task()
def issue_certificates(job_id: int) -> dict:
    """Run one issuance job (rerunning it carries on where a previous run stopped)."""
    try:
        job = services.run_issuance_job(job_id)
    except Exception as exc:
        services.mark_job_failed(job_id, f"{exc.__class__.__name__}: {exc}")
        raise
    return {"done": job.done, "total": job.total, "failed": job.failed}


@task()
def publish_status_lists() -> int:
    return openbadges.publish_pending()
