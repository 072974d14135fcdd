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


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file, as `make run`'s is, not Django's shared in-memory one.

    A live server shares an in-memory database's single connection between all
    its request threads, so concurrent requests would never meet the locking
    that separate connections (gunicorn's workers) meet on a file.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _releases_in_a_temporary_directory(settings, tmp_path_factory):
    """Releases are files: each test writes its own, never into the repository's media/."""
    settings.RELEASES_ROOT = tmp_path_factory.mktemp("releases")
