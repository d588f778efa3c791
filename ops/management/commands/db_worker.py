"""`manage.py db_worker`: django-tasks-db's worker, plus a heartbeat thread (ops.heartbeat)
so that /sundhed/ can tell whether any worker is alive. Same options as the original;
this app is listed before django_tasks_db, so this command is the one `manage.py` runs.

Each job is taken by one worker however many run: django-tasks-db claims a job inside a
transaction with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (an exclusive
transaction on SQLite)."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from ops.heartbeat import Heartbeat


class Command(DbWorkerCommand):
    def handle(self, *args, **options):
        # with --reload the parent process only restarts the child: the child beats
        if not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            Heartbeat(options["worker_id"]).start()
        return super().handle(*args, **options)
