"""The client address that login throttling (django-axes) counts failures by."""

from django.conf import settings
from django.shortcuts import render


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
