"""Task workers say they are alive: a thread in each `manage.py db_worker` process writes
its row of `WorkerHeartbeat` every `BILAG_WORKER_HEARTBEAT_SECONDS`; /sundhed/ reads it.

The thread uses its own database connection and survives a database outage (it logs and
tries again at the next beat). The row is removed when the worker exits normally."""

from __future__ import annotations

import atexit
import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)
FORGET_AFTER = timedelta(days=1)  # rows of workers gone for this long are deleted


def interval() -> float:
    return float(getattr(settings, "BILAG_WORKER_HEARTBEAT_SECONDS", 10))


def beat(worker_id: str, started_at) -> None:
    """Record that `worker_id` (this process) is alive now; forget long-dead workers."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": now,
        },
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id[:8]}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                beat(self.worker_id, self.started_at)
            except Exception:  # a database outage must not stop the worker
                logger.exception("task worker heartbeat failed")
            finally:
                close_old_connections()
            self.stopped.wait(interval())
        connection.close()

    def start(self) -> None:
        super().start()
        atexit.register(self.stop)

    def stop(self) -> None:
        """Stop beating and remove this worker's row (on a normal exit)."""
        self.stopped.set()
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:
            logger.warning("could not remove the heartbeat of worker %s", self.worker_id)
