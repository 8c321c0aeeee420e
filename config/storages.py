"""Where attachments and rendered PDFs are kept: ``STORAGES["default"]`` from the environment.

The local disk (``MEDIA_ROOT``) unless ``DJANGO_S3_BUCKET`` names a bucket; then an S3 or
S3-compatible object store (MinIO, Ceph, a municipal object store) through django-storages.
The settings and the tests both build it here, so the tests exercise this configuration.
"""

import os
from collections.abc import Mapping

FILE_SYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3 = "storages.backends.s3.S3Storage"


def default_storage_settings(environ: Mapping[str, str] = os.environ) -> dict:
    """``STORAGES["default"]`` for these environment variables."""
    bucket = environ.get("DJANGO_S3_BUCKET", "").strip()
    if not bucket:
        return dict(FILE_SYSTEM)
    options = {
        "bucket_name": bucket,
        "location": environ.get("DJANGO_S3_PREFIX", "").strip().strip("/"),
        # Objects are private: attachments may be closed, and every file is served only
        # through the app's permission-checking views, never by a public bucket URL.
        "default_acl": None,
        "querystring_auth": True,
        # A name in use gets a new one: a rendered PDF is written under a new name before
        # its row points at it, and the old file is deleted only after that commit.
        "file_overwrite": False,
        # A file opened for a download is spooled to a temporary file past 2.5 MB, so a
        # 25 MB attachment does not sit in a web worker's memory for each reader.
        "max_memory_size": 2_621_440,
    }
    for option, variable in (
        ("endpoint_url", "DJANGO_S3_ENDPOINT_URL"),
        ("region_name", "DJANGO_S3_REGION"),
        # Unset: boto3's own chain (AWS_* variables, a profile, an instance role).
        ("access_key", "DJANGO_S3_ACCESS_KEY_ID"),
        ("secret_key", "DJANGO_S3_SECRET_ACCESS_KEY"),
    ):
        value = environ.get(variable, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": S3, "OPTIONS": options}
