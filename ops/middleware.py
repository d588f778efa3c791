"""Session and caching policy for logged-in use (issue 11, findings 19-20)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import QueryDict
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

IDLE_KEY = "_bilag_seen"
LOGIN_KEY = "_bilag_login"


def start_idle_clock(sender, request, user, **kwargs):
    """At login the clocks start (so the first page after it writes no session)."""
    if request is not None and hasattr(request, "session"):
        request.session[IDLE_KEY] = request.session[LOGIN_KEY] = int(time.time())


class IdleSessionTimeoutMiddleware:
    """Log out a session idle for more than `SESSION_IDLE_TIMEOUT` seconds (30 min by
    default; env BILAG_SESSION_IDLE_MINUTES), and one older than `SESSION_COOKIE_AGE`
    since its login however busy (12 h; env BILAG_SESSION_MAX_HOURS).

    The last activity is kept in the session, rewritten at most every
    `SESSION_IDLE_RESOLUTION` seconds (60): a user clicking about does not cause a session
    write per request, and is logged out at most that much early. Sits after
    MessageMiddleware; LoginRequiredMiddleware (which acts when the view is known, after
    every middleware's request part) then sends the logged-out request to the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(IDLE_KEY)
            since = request.session.get(LOGIN_KEY)
            if isinstance(seen, int) and now - seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                minutes = settings.SESSION_IDLE_TIMEOUT // 60
                messages.info(
                    request,
                    _("You were logged out after %(minutes)s minutes without activity.")
                    % {"minutes": minutes},
                )
            elif isinstance(since, int) and now - since > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
            elif not isinstance(seen, int) or now - seen >= settings.SESSION_IDLE_RESOLUTION:
                request.session[IDLE_KEY] = now
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """`Cache-Control: no-store` (and private, no-cache, max-age=0) on every response to a
    logged-in user and on every download (`Content-Disposition: attachment`), so that no
    browser or proxy cache keeps a page or a file once the user has left it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        private = user is not None and user.is_authenticated
        download = response.get("Content-Disposition", "").startswith("attachment")
        if private or download:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class MethodNotAllowedPageMiddleware:
    """A 405 (a GET on an address that only takes a form's POST, e.g. a workflow step
    typed or bookmarked, or reloaded after a redirect) gets the Danish page
    templates/405.html instead of Django's empty body; the `Allow` header is kept.
    Only empty 405s are replaced, so a view's own 405 page stays as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = render(request, "405.html", status=405)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response


class NulInAddressMiddleware:
    """An address whose path or query string holds a NUL character (%00) is answered with the
    400 page (templates/400.html: "Go back and try again") before any view reads it. No
    link of the site makes one; a view that passed it on to a filter made PostgreSQL
    refuse the query ("text fields cannot contain NUL"): a 500 (breaker: the case list's
    `committee`, the editor's `katalog`; a proposal number or committee code in the path,
    `/katalog/<key>/forslag/a%00b/`, the same). Form fields are left to the forms, which
    remove or refuse it with a message of their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):
            return render(request, "400.html", status=400)
        return self.get_response(request)


def _has_nul(query: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query.lists()
    )
