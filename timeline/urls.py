from django.contrib.sitemaps import views as sitemaps
from django.urls import path

from . import views
from .feeds import timeline_feed
from .sitemaps import SITEMAPS

app_name = "timeline"

urlpatterns = [
    path("", views.index, name="index"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("measures/", views.measures_index, name="measures"),
    path("measures/<slug:slug>/", views.measure_detail, name="measure"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("feed/", timeline_feed, name="feed"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("data/", views.codebook, name="codebook"),
    path("data/releases/", views.release_list, name="releases"),
    path("data/releases/<int:number>/", views.release_detail, name="release"),
    path("data/releases/<int:number>/<str:name>", views.release_file, name="release_file"),
    path("embed/", views.embed_timeline, name="embed"),
    path("share/timeline.png", views.share_timeline_image, name="share_timeline"),
    path("share/events/<slug:slug>.png", views.share_event_image, name="share_event"),
    path("share/measures/<slug:slug>.png", views.share_measure_image, name="share_measure"),
    # An index of pages of SITEMAP_PAGE_SIZE addresses: one sitemap of every
    # event was 10 MB and 3.6 s at 50,000 events, and the protocol stops at 50,000.
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "timeline:sitemap_section"}, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
]
