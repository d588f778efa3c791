"""/sundhed/: is this app server fit to take requests? For a load balancer.

200 when the database answers and a task worker was seen within
`BILAG_WORKER_MAX_AGE_SECONDS` (default 60); 503 otherwise. The body is JSON:
    {"status": "ok"|"fejl", "database": "ok"|"utilgængelig",
     "worker": "ok"|"ingen"|"ukendt", "worker_seen_seconds_ago": int|null, "workers": int}
No login (a load balancer has none), no session, no writes; the figures say nothing about
the data. Exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT), so a balancer may ask
over plain HTTP on the private network."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import WorkerHeartbeat


@login_not_required
@never_cache
@require_GET
def health(request):
    max_age = timedelta(seconds=getattr(settings, "BILAG_WORKER_MAX_AGE_SECONDS", 60))
    body = {"database": "ok", "worker": "ukendt", "worker_seen_seconds_ago": None, "workers": 0}
    try:
        now = timezone.now()
        # newest first; a row per worker process, old ones are deleted after a day
        seen = list(WorkerHeartbeat.objects.values_list("seen_at", flat=True)[:1000])
    except DatabaseError:
        body["database"] = "utilgængelig"
    else:
        recent = [s for s in seen if s >= now - max_age]
        body["workers"] = len(recent)
        body["worker"] = "ok" if recent else "ingen"
        if seen:
            body["worker_seen_seconds_ago"] = int((now - seen[0]).total_seconds())
    ok = body["database"] == "ok" and body["worker"] == "ok"
    body = {"status": "ok" if ok else "fejl", **body}
    return JsonResponse(body, status=200 if ok else 503, json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception):
    """handler400: the 400 page, saying so when the request was too large (a text pasted
    past the fields' limits, or more fields than a proposal can have:
    `RequestDataTooBig` / `TooManyFieldsSent`), so the user knows to go back — the
    browser keeps what was typed — and shorten it, instead of a bare "bad request"."""
    too_big = isinstance(exception, (RequestDataTooBig, TooManyFieldsSent))
    context = {"too_big": too_big, "limit_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1_000_000}
    return render(request, "400.html", context, status=400)
