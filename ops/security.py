"""Login throttling (django-axes): the client address it counts failures by, what it
locks (user, user+address, and an address only past a higher limit), and its page."""

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

USER = "username"
USER_AT_ADDRESS = ["username", "ip_address"]
ADDRESS = "ip_address"


def address_failures(address: str) -> int:
    """Failed logins of any user names from `address` within the cool-off time."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    """django-axes' `AXES_LOCKOUT_PARAMETERS` as a callable (django-axes locks when any
    of the returned parameter sets has `AXES_FAILURE_LIMIT` failures): the user name
    (from any address) and the user name at one address always; the address alone only
    once it has `AXES_ADDRESS_FAILURE_LIMIT` failures of any user names. So colleagues
    behind one NAT address who each mistype do not lock each other out, and guessing
    many user names from one address is still stopped (issue 11, finding 19).

    `request_or_attempt`: an HttpRequest (its address as axes read it, else
    `client_ip`) or an `AccessAttempt`."""
    address = getattr(request_or_attempt, "axes_ip_address", None) or getattr(
        request_or_attempt, "ip_address", None
    )
    if address is None and hasattr(request_or_attempt, "META"):
        address = client_ip(request_or_attempt)
    parameters: list = [USER, USER_AT_ADDRESS]
    if address and address_failures(address) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
        parameters.append(ADDRESS)
    return parameters


def client_ip(request) -> str:
    """The address of the client. Behind `BILAG_PROXY_COUNT` trusted proxies (each
    appending to X-Forwarded-For, as nginx's `$proxy_add_x_forwarded_for` does) it is the
    entry that many from the right; anything further left was sent by the client and is
    not trusted. Without proxies: REMOTE_ADDR."""
    proxies = getattr(settings, "BILAG_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, credentials, *args, **kwargs):
    """The page django-axes shows while a user name or address is locked out (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "ops/lockout.html", {"cooloff_minutes": minutes}, status=429)
