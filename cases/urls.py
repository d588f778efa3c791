from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.catalog_list, name="catalog_list"),
    path("forslag/nyt/", views.proposal_new, name="proposal_new"),
    path("forslag/nyt/beregn/", views.proposal_preview, name="proposal_new_preview"),
    path("katalog/<slug:key>/", views.catalog_detail, name="catalog_detail"),
    path("katalog/<slug:key>/portefoelje/", views.catalog_portfolio, name="catalog_portfolio"),
    path("katalog/<slug:key>/forslag/<str:number>/", views.proposal_detail, name="proposal_detail"),
    path(
        "katalog/<slug:key>/forslag/<str:number>/rediger/",
        views.proposal_edit,
        name="proposal_edit",
    ),
    path(
        "katalog/<slug:key>/forslag/<str:number>/beregn/",
        views.proposal_preview,
        name="proposal_preview",
    ),
]
