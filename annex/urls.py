from django.urls import path

app_name = "annex"
urlpatterns: list = []
