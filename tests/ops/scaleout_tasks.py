"""A task for the two-worker test: appends its token and the worker's process id to a
file (one write of one short line with O_APPEND: lines from several processes do not mix)."""

import os
import time

from django.tasks import task


@task()
def record_run(token: str, path: str, seconds: float = 0.05) -> int:
    time.sleep(seconds)  # long enough that two workers are busy at the same time
    with open(path, "a") as out:
        out.write(f"{token} {os.getpid()}\n")
    return os.getpid()
