from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("eksport.csv", views.case_list_export, {"fmt": "csv"}, name="case_list_csv"),
    path("eksport.xlsx", views.case_list_export, {"fmt": "xlsx"}, name="case_list_xlsx"),
    path("handling/", views.bulk_action, name="bulk_action"),
    path("venter/", views.waiting, name="waiting"),
    path("visninger/", views.saved_view_create, name="saved_view_create"),
    path("visning/<int:pk>/", views.saved_view, name="saved_view"),
    path("visning/<int:pk>/slet/", views.saved_view_delete, name="saved_view_delete"),
    path("beslutninger/anvend/", views.decisions_apply, name="decisions_apply"),
    path("udvalg/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.case, name="case"),
    path("<int:pk>/aendringer/", views.case_changes, name="case_changes"),
    path("<int:pk>/set/", views.case_seen, name="case_seen"),
    path("<int:pk>/trin/<str:action>/", views.step, name="step"),
    path("<int:pk>/hoering/", views.hearing_answer, name="hearing_answer"),
    path("<int:pk>/kommentar/", views.comment, name="comment"),
]
