"""Issue 11 ("Trust"), finding 17: an annex job whose worker died is noticed, marked
failed after ANNEX_JOB_TIMEOUT and can be restarted; the page says so."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from annex.models import AnnexJob
from annex.tasks import fail_stale_jobs, run_job
from cases.models import Catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(reference_catalogs):
    return Catalog.objects.get(key="investment-2021")


def running_job(catalog, user, *, silent_for: timedelta) -> AnnexJob:
    """A job a worker took and then went silent (killed mid-render)."""
    job = AnnexJob.objects.create(catalog=catalog, requested_by=user, total=4)
    AnnexJob.objects.filter(pk=job.pk).update(
        state=AnnexJob.State.RUNNING, done=1, heartbeat_at=timezone.now() - silent_for
    )
    return AnnexJob.objects.get(pk=job.pk)


def test_finding_17_a_job_whose_worker_died_is_shown_failed_and_can_be_restarted(
    client, central_user, catalog, settings
):
    settings.ANNEX_JOB_TIMEOUT = 600
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(central_user)
    dead = running_job(catalog, central_user, silent_for=timedelta(minutes=11))

    page = client.get(reverse("annex:job", args=[dead.pk]))
    html = page.content.decode()
    assert "Kørslen stoppede uden at blive færdig" in html
    assert "Start kørslen igen" in html
    assert 'http-equiv="refresh"' not in html  # it no longer pretends to be working
    assert AnnexJob.objects.get(pk=dead.pk).state == "running"  # a GET writes nothing

    response = client.post(reverse("annex:job_restart", args=[dead.pk]))

    dead.refresh_from_db()
    assert dead.state == "failed" and "arbejdsprocessen svarede ikke" in dead.error
    new = AnnexJob.objects.exclude(pk=dead.pk).get()
    assert response.url == reverse("annex:job", args=[new.pk])
    assert (new.catalog, new.requested_by, new.state) == (catalog, central_user, "done")


def test_finding_17_only_silent_jobs_are_marked_failed(catalog, central_user, settings):
    settings.ANNEX_JOB_TIMEOUT = 600
    dead = running_job(catalog, central_user, silent_for=timedelta(minutes=11))
    alive = running_job(catalog, central_user, silent_for=timedelta(minutes=2))
    never_taken = AnnexJob.objects.create(catalog=catalog, requested_by=central_user)
    AnnexJob.objects.filter(pk=never_taken.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )

    call_command("fail_stale_annex_jobs")

    states = dict(AnnexJob.objects.values_list("pk", "state"))
    assert states == {dead.pk: "failed", alive.pk: "running", never_taken.pk: "failed"}
    assert fail_stale_jobs() == 0


def test_finding_17_a_job_that_works_beats_the_heart_and_is_not_failed(
    catalog, central_user, settings
):
    settings.ANNEX_JOB_TIMEOUT = 600
    job = AnnexJob.objects.create(catalog=catalog, requested_by=central_user)
    run_job(job.pk, workers=1)
    job.refresh_from_db()
    assert job.state == "done" and job.heartbeat_at is not None
    assert fail_stale_jobs(now=timezone.now() + timedelta(hours=1)) == 0


def test_finding_17_a_done_job_cannot_be_restarted(client, central_user, catalog):
    client.force_login(central_user)
    job = AnnexJob.objects.create(catalog=catalog, requested_by=central_user, state="done")
    response = client.post(reverse("annex:job_restart", args=[job.pk]))
    assert response.status_code == 302 and AnnexJob.objects.count() == 1
