"""Background rendering of a catalogue's annex (Django's task framework; the database
backend of django-tasks-db runs it in `manage.py db_worker`)."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.tasks import task
from django.utils import timezone

from .models import AnnexJob
from .pdf import render_catalog_annex


def run_job(job_id: int, *, workers: int = 2) -> AnnexJob:
    job = AnnexJob.objects.select_related("catalog", "requested_by").get(pk=job_id)
    job.state = AnnexJob.State.RUNNING
    job.save(update_fields=["state"])

    def progress(done: int, total: int, _label: str) -> None:
        AnnexJob.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        buffer = io.BytesIO()
        stats = render_catalog_annex(
            job.catalog,
            buffer,
            statuses=job.statuses,
            workers=workers,
            progress=progress,
            # what the requester may read; a job without a requester (command line) prints all
            user=job.requested_by,
        )
    except Exception as exc:
        AnnexJob.objects.filter(pk=job_id).update(
            state=AnnexJob.State.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
        raise
    job.refresh_from_db()
    if job.file:
        job.file.delete(save=False)
    job.file.save(f"{job.catalog.key}-{job.pk}.pdf", ContentFile(buffer.getvalue()), save=False)
    job.pages = stats.pages
    job.state = AnnexJob.State.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "pages", "state", "finished_at"])
    return job


@task()
def render_annex_task(job_id: int) -> int:
    return run_job(job_id).pages
