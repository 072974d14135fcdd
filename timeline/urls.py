from django.urls import path

from . import views

app_name = "timeline"

urlpatterns = [
    path("", views.index, name="index"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("measures/<slug:slug>/", views.measure_detail, name="measure"),
]
