"""Attachments and rendered PDFs in an S3-compatible bucket (``DJANGO_S3_BUCKET``).

The storage is the one ``config.storages`` builds from the environment, pointed at moto's
server: a real S3 HTTP endpoint in a process of its own on 127.0.0.1 (``moto[server]``,
in the ``dev`` extra). Without it these tests are skipped, except in CI (``CI`` or
``HELHEDSPLANER_REQUIRE_S3``, which ``.ci/run`` sets), where they fail.
"""

import http.client
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from cases.models import AgendaItem, Attachment, RenderedFile
from committees.models import Meeting, Membership
from config.storages import FILE_SYSTEM, S3, default_storage_settings
from tests import factories
from tests.pdfs import pdf_bytes

pytestmark = pytest.mark.django_db

BUCKET = "helhedsplaner-test"
REGION = "eu-north-1"
KEY, SECRET = "moto-test-key", "moto-test-secret"


def _unavailable(reason: str):
    if os.environ.get("CI") or os.environ.get("HELHEDSPLANER_REQUIRE_S3"):
        pytest.fail(f"{reason}: CI must test the S3 storage (the dev extra installs it)")
    pytest.skip(reason)


def _moto_server_command() -> str | None:
    beside = Path(sys.executable).with_name("moto_server")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("moto_server")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()  # any answer, an S3 error document too
    except OSError:
        return False
    finally:
        connection.close()
    return True


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    """moto's S3 server on a free port with an empty bucket: its endpoint URL."""
    for module in ("boto3", "storages"):
        if importlib.util.find_spec(module) is None:
            _unavailable(f"{module} is not installed (django-storages[s3])")
    command = _moto_server_command()
    if command is None:
        _unavailable("moto_server is not installed (moto[server])")
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("moto") / "moto_server.log"
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_DEFAULT_REGION": REGION,
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [command, "-H", "127.0.0.1", "-p", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while not _answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"moto_server did not answer on {endpoint}:\n{log_path.read_text()}")
            time.sleep(0.1)
        s3_client(endpoint).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
    )


class Bucket:
    """The test's own folder of the bucket, read with boto3 (not through Django)."""

    def __init__(self, endpoint: str, prefix: str):
        self.client = s3_client(endpoint)
        self.prefix = prefix

    def names(self) -> set[str]:
        listing = self.client.list_objects_v2(Bucket=BUCKET, Prefix=f"{self.prefix}/")
        return {
            entry["Key"].removeprefix(f"{self.prefix}/") for entry in listing.get("Contents", [])
        }

    def read(self, name: str) -> bytes:
        return self.client.get_object(Bucket=BUCKET, Key=f"{self.prefix}/{name}")["Body"].read()


@pytest.fixture
def bucket(s3_server):
    """``STORAGES["default"]`` as the settings make it from these variables, each test in a
    folder (``DJANGO_S3_PREFIX``) of its own."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    environ = {
        "DJANGO_S3_BUCKET": BUCKET,
        "DJANGO_S3_ENDPOINT_URL": s3_server,
        "DJANGO_S3_REGION": REGION,
        "DJANGO_S3_ACCESS_KEY_ID": KEY,
        "DJANGO_S3_SECRET_ACCESS_KEY": SECRET,
        "DJANGO_S3_PREFIX": prefix,
    }
    with override_settings(
        STORAGES={**settings.STORAGES, "default": default_storage_settings(environ)}
    ):
        assert default_storage.__class__.__name__ == "S3Storage"
        yield Bucket(s3_server, prefix)
    assert not _on_disk(), "a file went to MEDIA_ROOT instead of the bucket"


def _on_disk() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# -- the settings -----------------------------------------------------------------------------


def test_without_a_bucket_the_files_stay_on_the_local_disk():
    assert default_storage_settings({}) == FILE_SYSTEM
    assert default_storage_settings({"DJANGO_S3_ENDPOINT_URL": "https://s3.example.dk"}) == (
        FILE_SYSTEM
    )


def test_a_bucket_without_credentials_leaves_them_to_boto3():
    storage = default_storage_settings({"DJANGO_S3_BUCKET": "bilag", "DJANGO_S3_PREFIX": "/hp/"})
    assert storage == {
        "BACKEND": S3,
        "OPTIONS": {
            "bucket_name": "bilag",
            "location": "hp",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "max_memory_size": 2_621_440,
        },
    }


# -- attachments ------------------------------------------------------------------------------


def test_an_uploaded_attachment_is_kept_in_the_bucket_and_served_only_to_those_who_may(
    client, bucket, secretary, politician
):
    client.force_login(secretary)
    meeting = factories.meeting(status=Meeting.Status.DRAFT)
    factories.member(secretary, meeting.committee, role=Membership.Role.SECRETARY)
    item = factories.item(meeting)
    content = b"%PDF-1.4\n% fortroligt notat om Tingbjerg\n"
    response = client.post(
        reverse("cases:attachment_create", args=[item.pk]),
        {
            "title": "Fortroligt notat",
            "file": SimpleUploadedFile("Notat om økonomi.pdf", content),
            "is_closed": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = Attachment.objects.get()
    assert attachment.file.name in bucket.names()
    assert bucket.read(attachment.file.name) == content

    download = reverse("cases:attachment_download", args=[attachment.pk])
    served = client.get(download)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == content
    assert "filename*=utf-8''Notat%20om%20%C3%B8konomi.pdf" in served["Content-Disposition"]

    client.force_login(politician)  # no member of the committee: the file does not exist
    assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302  # to the sign-in page


# -- rendered PDFs ----------------------------------------------------------------------------


@pytest.fixture
def meeting(bucket):
    meeting = factories.meeting(factories.committee("BIU", name="Beskæftigelsesudvalget"))
    factories.item(meeting, number=1, title="Helhedsplan for Tingbjerg")
    return meeting


def _rendered(bucket) -> set[str]:
    return {name for name in bucket.names() if name.startswith("rendered/")}


def test_a_rendered_agenda_is_kept_in_the_bucket_and_served_from_it(
    client, bucket, secretary, meeting
):
    client.force_login(secretary)
    agenda = reverse("pdf:meeting_agenda", args=[meeting.pk])
    first = client.get(agenda)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    row = RenderedFile.objects.get(meeting=meeting, kind=RenderedFile.Kind.AGENDA)
    assert row.status == RenderedFile.Status.READY
    assert _rendered(bucket) == {row.file.name}
    stored = bucket.read(row.file.name)
    assert stored.startswith(b"%PDF")
    assert pdf_bytes(first) == stored

    again = client.get(agenda)
    assert again.status_code == 200
    assert pdf_bytes(again) == stored
    assert _rendered(bucket) == {row.file.name}  # nothing rendered or stored twice


def test_a_new_rendering_replaces_the_old_object_after_commit(
    client, bucket, secretary, meeting, django_capture_on_commit_callbacks
):
    client.force_login(secretary)
    agenda = reverse("pdf:meeting_agenda", args=[meeting.pk])
    assert client.get(agenda).status_code == 200
    old = RenderedFile.objects.get(meeting=meeting, kind=RenderedFile.Kind.AGENDA).file.name
    assert _rendered(bucket) == {old}

    item = AgendaItem.objects.get(meeting=meeting, number=1)
    item.title = "Helhedsplan for Bispebjerg"
    item.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(agenda)
        assert response.status_code == 200
        content = pdf_bytes(response)
        new = RenderedFile.objects.get(meeting=meeting, kind=RenderedFile.Kind.AGENDA).file.name
        assert new != old
        assert _rendered(bucket) == {old, new}  # the old one stays until the commit
    assert _rendered(bucket) == {new}
    assert content == bucket.read(new) and content.startswith(b"%PDF")
