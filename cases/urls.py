from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.catalog_list, name="catalog_list"),
    path("katalog/<slug:key>/", views.catalog_detail, name="catalog_detail"),
    path("katalog/<slug:key>/forslag/<str:number>/", views.proposal_detail, name="proposal_detail"),
]
