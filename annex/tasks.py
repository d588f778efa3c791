"""Background rendering of a catalogue's annex (Django's task framework; the database
backend of django-tasks-db runs it in `manage.py db_worker`)."""

from __future__ import annotations

import io
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from cases.price_levels import choose_price_level
from finance.prices import PriceLevelError

from .models import AnnexJob
from .pdf import render_catalog_annex

STALE_MESSAGE = (
    "Kørslen stoppede uden at blive færdig (arbejdsprocessen svarede ikke i {minutes} "
    "minutter). Start den igen."
)


def fail_stale_jobs(now=None) -> int:
    """Mark every queued or running job without a sign of life for ANNEX_JOB_TIMEOUT
    seconds as failed, with a message that says so; returns how many. Called before a
    new job starts, by a restart, and by `manage.py fail_stale_annex_jobs` (cron)."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.ANNEX_JOB_TIMEOUT)
    waiting = AnnexJob.objects.filter(state__in=(AnnexJob.State.QUEUED, AnnexJob.State.RUNNING))
    stale = waiting.filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, created_at__lt=limit)
    )
    return stale.update(
        state=AnnexJob.State.FAILED,
        error=STALE_MESSAGE.format(minutes=max(1, settings.ANNEX_JOB_TIMEOUT // 60)),
        finished_at=now,
    )


def restart_job(job: AnnexJob) -> AnnexJob:
    """A new job for the same catalogue, statuses and requester as a failed (or stale)
    one, enqueued; the old one stays as it was, failed."""
    fail_stale_jobs()
    job.refresh_from_db()
    if job.state != AnnexJob.State.FAILED:
        raise ValueError("only a failed job can be restarted")
    new = AnnexJob.objects.create(
        catalog=job.catalog,
        statuses=job.statuses,
        price_level=job.price_level,
        requested_by=job.requested_by,
        total=job.total,
    )
    result = render_annex_task.enqueue(new.pk)
    AnnexJob.objects.filter(pk=new.pk).update(task_id=str(result.id))
    return new


def run_job(job_id: int, *, workers: int = 2) -> AnnexJob:
    job = AnnexJob.objects.select_related("catalog", "requested_by").get(pk=job_id)
    job.state = AnnexJob.State.RUNNING
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["state", "heartbeat_at"])

    def progress(done: int, total: int, _label: str) -> None:
        AnnexJob.objects.filter(pk=job_id).update(
            done=done, total=total, heartbeat_at=timezone.now()
        )

    try:
        buffer = io.BytesIO()
        price_level = None
        if job.price_level is not None:
            price_level = choose_price_level(str(job.price_level))
            if price_level.error:  # the index was changed after the job was started
                raise PriceLevelError(price_level.error)
        stats = render_catalog_annex(
            job.catalog,
            buffer,
            statuses=job.statuses,
            workers=workers,
            progress=progress,
            # what the requester may read; a job without a requester (command line) prints all
            user=job.requested_by,
            price_level=price_level,
        )
    except PriceLevelError as exc:  # said as it is, in Danish
        AnnexJob.objects.filter(pk=job_id).update(
            state=AnnexJob.State.FAILED, error=str(exc), finished_at=timezone.now()
        )
        return AnnexJob.objects.get(pk=job_id)
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
