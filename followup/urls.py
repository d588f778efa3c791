from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("", views.index, name="index"),
    path("venter/", views.pending, name="pending"),
    path("udvalg/<str:code>/", views.committee, name="committee"),
    path("katalog/<slug:key>/", views.catalog, name="catalog"),
    path("katalog/<slug:key>/forslag/<str:number>/", views.proposal_view, name="proposal"),
    path(
        "katalog/<slug:key>/forslag/<str:number>/realiseret/",
        views.realised,
        name="realised",
    ),
    path(
        "katalog/<slug:key>/forslag/<str:number>/kriterium/<int:criterion_id>/registrer/",
        views.register,
        name="register",
    ),
    path(
        "katalog/<slug:key>/forslag/<str:number>/kriterium/<int:criterion_id>/plan/",
        views.tracking,
        name="tracking",
    ),
]
