"""Background jobs of the credentials app; each is idempotent and resumable."""

from django_tasks import task

from . import openbadges, pdf, services, signing


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


def preload() -> None:
    """What every issuance job needs, loaded once in the worker (ekraf.ops.worker.PRELOAD)
    rather than in each job's forked work horse: pyHanko's signing modules (0.4 s of imports,
    2 ms a certificate over a job of 200) and the certificate fonts."""
    signing.preload()
    pdf.register_fonts()
