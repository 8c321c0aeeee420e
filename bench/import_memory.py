"""A 200,000-row indicator file imported by a real background worker: progress and the
worker's peak memory (issue 19). Not a test; prints figures beside their floors.

    .venv/bin/python bench/import_memory.py [rows]

On a fresh PostgreSQL database ``helhedsplaner_import_bench`` (BENCH_DATABASE_SERVER,
default postgres://postgres@127.0.0.1:5432; dropped and migrated here): 500 areas and 4
indicators, a Statistikbanken-shaped CSV of ``rows`` values (default 200,000; some
".." symbols). The file is uploaded through the import service, a ``manage.py
db_worker`` process checks it while this script prints the progress the import page
shows, the import is confirmed, and the worker saves it. Reported: the worker's peak
resident memory (VmHWM) after start-up (the floor: an idle worker), after the check and
after the save; the file's size; and, in a separate process, the peak memory of only
reading the file through helhedsplaner.imports.reading (the floor of the check).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
WORK = Path(tempfile.mkdtemp(prefix="import-bench-"))
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
DATABASE = "helhedsplaner_import_bench"
ENV = {
    **os.environ,
    # DEBUG off, as a production worker runs (with DEBUG on, Django keeps every query).
    "DJANGO_SETTINGS_MODULE": "config.settings.local",
    "DJANGO_DEBUG": "0",
    "DATABASE_URL": f"{SERVER}/{DATABASE}",
    "DJANGO_MEDIA_ROOT": str(WORK / "media"),
    "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def main() -> None:
    python = sys.executable
    fresh_database()
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=ENV, check=True)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile

    from helhedsplaner.indicators import services
    from helhedsplaner.models import Area, Indicator, IndicatorImport

    areas = [Area(code=f"KK-{n:03d}", name=f"Område {n:03d}") for n in range(500)]
    Area.objects.bulk_create(areas)
    codes = ["lav-indkomst", "uden-uddannelse", "uden-for-arbejdsmarkedet", "ledighed"]
    Indicator.objects.bulk_create([Indicator(code=c, name=c.capitalize()) for c in codes])
    user = User.objects.create_user("bench", password="bench")

    path = WORK / "statistikbanken.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write("OMRÅDE;INDIKATOR;TID;INDHOLD\r\n")
        written = 0
        for year in range(1995, 2100):
            for code in codes:
                for n in range(500):
                    if written == ROWS:
                        break
                    value = (
                        ".."
                        if written % 97 == 0
                        else f"{(written % 1000) / 10:.1f}".replace(".", ",")
                    )
                    out.write(f"KK-{n:03d} Område {n:03d};{code};{year};{value}\r\n")
                    written += 1
    size = path.stat().st_size
    print(f"file: {written:,} rows, {size / 1024 / 1024:.1f} MiB")

    reader = subprocess.run(
        [
            python,
            "-c",
            "import resource, sys; sys.path.insert(0, '.');"
            "from helhedsplaner.imports import reading;"
            f"s = reading.open_sheet(open({str(path)!r}, 'rb'), 'x.csv');"
            "n = sum(1 for _ in s.rows());"
            "print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)",
        ],
        cwd=ROOT,
        env={**ENV, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
        capture_output=True,
        text=True,
        check=True,
    )
    rows_read, reader_peak = reader.stdout.split()

    worker = subprocess.Popen(
        [
            python,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--no-reload",  # one process: the one measured
            "--interval",
            "0.2",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(4)
        idle = peak_kib(worker.pid)
        with path.open("rb") as handle:
            upload = SimpleUploadedFile("statistikbanken.csv", handle.read())
        started = time.monotonic()
        job = services.indicator_import_start(upload=upload, user=user)

        def follow(until: set[str]) -> float:
            shown = None
            while True:
                job.refresh_from_db()
                line = (
                    f"  {job.get_status_display()}: {job.rows_done:,} of "
                    f"{job.rows_total:,} rows ({job.progress} %)"
                )
                if line != shown:
                    print(line, flush=True)
                    shown = line
                if job.status in until:
                    return time.monotonic()
                time.sleep(0.5)

        checked = follow({IndicatorImport.Status.CHECKED, IndicatorImport.Status.FAILED})
        after_check = peak_kib(worker.pid)
        print(f"checked in {checked - started:.1f} s; refused lines: {job.rows_refused}")
        services.indicator_import_confirm(job=job, user=user)
        start_save = time.monotonic()
        saved = follow({IndicatorImport.Status.SAVED, IndicatorImport.Status.FAILED})
        after_save = peak_kib(worker.pid)
        print(
            f"saved in {saved - start_save:.1f} s: {job.values_created:,} new, "
            f"{job.values_updated:,} updated, {job.values_unchanged:,} unchanged"
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    print()
    print(f"{'peak resident memory':42} {'':>12}")
    print(f"{'floor: idle worker':42} {mib(idle):>12}")
    print(
        f"{'floor: reading the file only (' + rows_read + ' rows)':42} {mib(int(reader_peak)):>12}"
    )
    print(f"{'worker after checking the file':42} {mib(after_check):>12}")
    print(f"{'worker after saving it':42} {mib(after_save):>12}")
    print(f"{'the file':42} {size / 1024 / 1024:>8.1f} MiB")


if __name__ == "__main__":
    main()
