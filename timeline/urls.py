from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .feeds import timeline_feed
from .sitemaps import SITEMAPS

app_name = "timeline"

urlpatterns = [
    path("", views.index, name="index"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("measures/<slug:slug>/", views.measure_detail, name="measure"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("feed/", timeline_feed, name="feed"),
    path("data/", views.codebook, name="codebook"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
