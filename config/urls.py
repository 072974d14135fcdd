from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from timeline.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # The language switcher's form posts here (Django's view: a cookie, then back to `next`).
    # Without CSRF: a forged post could only change a reader's language, and a token
    # in every page would set a cookie on it and keep shared caches from storing it.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("timeline.urls")),
]
