from django.urls import path

from . import views

app_name = "annex"
urlpatterns = [
    path("katalog/<slug:key>/", views.catalog_annex, name="catalog"),
    path("katalog/<slug:key>/pdf/", views.start_annex, name="start"),
    path("katalog/<slug:key>/excel/", views.catalog_xlsx, name="xlsx"),
    path("katalog/<slug:key>/opfoelgning/pdf/", views.followup_report_pdf, name="followup_pdf"),
    path("katalog/<slug:key>/portefoelje/excel/", views.portfolio_xlsx, name="portfolio_xlsx"),
    path("katalog/<slug:key>/portefoelje/pdf/", views.portfolio_pdf, name="portfolio_pdf"),
    path("katalog/<slug:key>/skabelon/", views.template_xlsx, name="template"),
    path("katalog/<slug:key>/import/", views.import_template, name="import"),
    path("katalog/<slug:key>/forslag/<str:number>/pdf/", views.proposal_pdf, name="proposal_pdf"),
    path(
        "katalog/<slug:key>/forslag/<str:number>/skabelon/",
        views.template_xlsx,
        name="proposal_template",
    ),
    path("kørsel/<int:pk>/", views.job_detail, name="job"),
    path("kørsel/<int:pk>/hent/", views.job_download, name="job_download"),
    path("kørsel/<int:pk>/genstart/", views.job_restart, name="job_restart"),
]
