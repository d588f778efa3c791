"""The project's URLs plus `/bench/trivial/`, the peer that shows what any request costs
before a page of Bilag does its own work (LoginRequiredMiddleware still loads the
session and the user, as for every page). For `benchmarks/serve.py` only."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench_trivial"),
    path("", include("config.urls")),
]
