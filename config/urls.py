from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from ops.views import bad_request, health

# The admin is Bilag's, not "Django administration".
admin.site.site_header = _("Bilag – administration")
admin.site.site_title = "Bilag"
admin.site.index_title = _("Catalogues, committees, administrations and users")


urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "konto/adgangskode/",
        auth_views.PasswordChangeView.as_view(template_name="ops/password_change_form.html"),
        name="password_change",
    ),
    path(
        "konto/adgangskode/skiftet/",
        auth_views.PasswordChangeDoneView.as_view(template_name="ops/password_change_done.html"),
        name="password_change_done",
    ),
    path("sundhed/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("bilag/", include("annex.urls")),
    path("opfoelgning/", include("followup.urls")),
    path("sager/", include("review.urls")),
    path("", include("cases.urls")),
]

handler400 = bad_request
