import pytest


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings):
    """Production serves hashed names from collectstatic's manifest; tests read the source files."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached facet counts must not leak from one test's rows into another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
