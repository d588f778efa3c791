"""Rendered annexes and the parts cache go through Django's storage API (STORAGES), so any
number of app servers and workers can share them: nothing here may depend on a path on
this machine. Shown with Django's in-memory storage standing in for a shared store
(an S3 bucket through django-storages in production)."""

import threading

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from moto import mock_aws

from annex import pdf
from annex.models import AnnexJob
from annex.tasks import run_job
from ops.storage import AtomicFileSystemStorage
from tests.factories import bc01

pytestmark = pytest.mark.django_db

MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}


@pytest.fixture
def shared_store(settings, tmp_path):
    """Files and parts in memory; MEDIA_ROOT points at an empty folder that must stay empty."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": MEMORY, "annex_parts": MEMORY}
    yield tmp_path / "media"


def test_parts_and_front_matter_are_cached_in_the_configured_storage(shared_store, tmp_path):
    proposal = bc01()
    first = pdf.render_catalog_annex(proposal.catalog, tmp_path / "a.pdf", workers=1)
    again = pdf.render_catalog_annex(proposal.catalog, tmp_path / "b.pdf", workers=1)
    assert (first.rendered, first.cached, again.rendered, again.cached) == (1, 0, 0, 1)
    assert (tmp_path / "a.pdf").read_bytes()[:5] == b"%PDF-"
    assert first.pages == again.pages
    store = storages["annex_parts"]
    [part] = pdf.cached_files(f"annex/parts/{proposal.pk}")
    assert store.open(part).read()[:5] == b"%PDF-"
    assert pdf.cached_files(f"annex/front/{proposal.catalog.pk}")  # front matter cached too
    assert not shared_store.exists()  # nothing on this machine's disk


def test_a_background_annex_is_stored_and_downloaded_through_the_storage(
    shared_store, client, central_user
):
    proposal = bc01()
    job = AnnexJob.objects.create(catalog=proposal.catalog, requested_by=central_user)
    run_job(job.pk, workers=1)
    job.refresh_from_db()
    assert job.state == AnnexJob.State.DONE
    stored = storages["default"].open(job.file.name).read()
    client.force_login(central_user)
    response = client.get(reverse("annex:job_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert stored[:5] == b"%PDF-"
    assert not shared_store.exists()


def test_an_earlier_version_of_a_part_is_removed_and_stray_files_ignored(shared_store, tmp_path):
    proposal = bc01()
    store = storages["annex_parts"]
    store.save(f"annex/parts/{proposal.pk}/.tmp-abc.part", ContentFile(b"half"))
    pdf.render_proposal_pdf(proposal, tmp_path / "1.pdf")
    proposal.title = "Belysningspakke 2e"
    proposal.save()
    pdf.render_proposal_pdf(proposal, tmp_path / "2.pdf")
    [(name, pages)] = pdf.cached_files(f"annex/parts/{proposal.pk}").items()
    assert name == pdf.part_name(proposal, pages)


def test_local_files_appear_whole_or_not_at_all(tmp_path):
    """Two servers sharing MEDIA_ROOT: a reader never sees a half-written file, and a
    failed write leaves nothing behind."""
    store = AtomicFileSystemStorage(location=tmp_path)
    data = b"%PDF-" + b"x" * 3_000_000
    seen_sizes = set()
    stop = threading.Event()

    def reader():
        path = tmp_path / "annex" / "jobs" / "a.pdf"
        while not stop.is_set():
            if path.exists():
                seen_sizes.add(path.stat().st_size)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        name = store.save("annex/jobs/a.pdf", ContentFile(data))
    finally:
        stop.set()
        thread.join()
    assert name == "annex/jobs/a.pdf"
    assert (tmp_path / name).read_bytes() == data
    assert seen_sizes <= {len(data)}
    assert [p.name for p in (tmp_path / "annex" / "jobs").iterdir()] == ["a.pdf"]

    class Broken(ContentFile):
        def chunks(self, chunk_size=None):
            yield b"%PDF-"
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        store.save("annex/jobs/b.pdf", Broken(b""))
    assert [p.name for p in (tmp_path / "annex" / "jobs").iterdir()] == ["a.pdf"]


@pytest.fixture
def s3_bucket(settings, monkeypatch, tmp_path):
    """The production S3 configuration (django-storages) against a fake S3 (moto)."""
    for key, value in {
        "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "eu-north-1",
    }.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        boto3.client("s3", region_name="eu-north-1").create_bucket(
            Bucket="bilag-filer", CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
        )
        s3 = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "bilag-filer", "region_name": "eu-north-1",
                        "location": "prod", "default_acl": None, "file_overwrite": False},
        }
        settings.MEDIA_ROOT = tmp_path / "media"
        settings.STORAGES = {**settings.STORAGES, "default": s3, "annex_parts": s3}
        yield boto3.client("s3", region_name="eu-north-1")


def test_with_s3_the_annex_is_rendered_cached_and_downloaded_from_the_bucket(
    s3_bucket, client, central_user, tmp_path
):
    proposal = bc01()
    job = AnnexJob.objects.create(catalog=proposal.catalog, requested_by=central_user)
    run_job(job.pk, workers=1)
    job.refresh_from_db()
    assert job.state == AnnexJob.State.DONE
    keys = sorted(o["Key"] for o in s3_bucket.list_objects_v2(Bucket="bilag-filer")["Contents"])
    assert sorted({tuple(k.split("/")[:3]) for k in keys}) == [
        ("prod", "annex", "front"), ("prod", "annex", "jobs"), ("prod", "annex", "parts")
    ]
    # the front matter is two cached documents: cover with overview, and contents
    front = [k.split("/")[4].split("-")[0] for k in keys if k.startswith("prod/annex/front/")]
    assert sorted(front) == ["contents", "front"]
    client.force_login(central_user)
    response = client.get(reverse("annex:job_download", args=[job.pk]))
    data = b"".join(response.streaming_content)
    stored = s3_bucket.get_object(Bucket="bilag-filer", Key=f"prod/{job.file.name}")
    assert data == stored["Body"].read()
    assert data[:5] == b"%PDF-"
    again = pdf.render_catalog_annex(proposal.catalog, tmp_path / "again.pdf", workers=1)
    assert (again.rendered, again.cached) == (0, 1)  # the part came from the bucket
    assert not (tmp_path / "media").exists()
