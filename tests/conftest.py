import pytest


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings):
    """Production serves hashed names from collectstatic's manifest; tests read the source files."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_refill_thread(settings):
    """A process refills export lines in a thread after a commit; a test that wants it says so
    (tests/test_export_lines.py), the others keep no thread on the test database."""
    settings.EXPORT_LINES_REFILL = False


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached facet counts must not leak from one test's rows into another's,
    nor a parse of words kept by the process change the queries a test counts."""
    from django.core.cache import cache

    from timeline import search

    cache.clear()
    search._parsed.cache_clear()
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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's, and before it drops the test database, this process's data version listener closes its connection."""
    yield
    from timeline import changes

    changes.stop_listening()


@pytest.fixture(scope="session")
def _empty_facet_index(django_db_setup, django_db_blocker, tmp_path_factory):
    """A snapshot of the facet index of the freshly migrated test database (no events)."""
    from django.test import override_settings

    from timeline import facet_index

    directory = tmp_path_factory.mktemp("facet-index")
    with override_settings(FACET_INDEX_DIR=str(directory)), django_db_blocker.unblock():
        facet_index.build_snapshot()
    return directory


_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


@pytest.fixture(autouse=True)
def _facet_index_of_this_test(request, settings, tmp_path):
    """Each test counts from its own copy of the empty snapshot, its rows all in the delta, as after edits.

    Like the cache, nothing of the index may leak from one test's rows (rolled
    back) into another's: this process forgets its index before and after.
    A test without the database needs no snapshot (and a module of such tests,
    run alone, has no migrated database to write one from).
    """
    import shutil

    from timeline import facet_index

    settings.FACET_INDEX_DIR = str(tmp_path / "facet-index")
    if request.node.get_closest_marker("django_db") or _DATABASE_FIXTURES & set(request.fixturenames):
        shutil.copytree(request.getfixturevalue("_empty_facet_index"), settings.FACET_INDEX_DIR, symlinks=True)
    facet_index.reset()
    yield
    facet_index.reset()


@pytest.fixture(autouse=True)
def _releases_in_a_temporary_directory(settings, tmp_path_factory):
    """Releases are files: each test writes its own, never into the repository's media/."""
    settings.RELEASES_ROOT = tmp_path_factory.mktemp("releases")


@pytest.fixture
def keep_view_context(monkeypatch):
    """Keep the timeline view's context on the response, as `response.view_context`.

    django-template-partials renders `index.html#results` and `#page` without
    Django's template_rendered signal, so the test client's response.context
    only holds the cards' contexts, and is None when a partial lists no event.
    """
    from timeline import views

    original = views.render

    def render(request, template_name, context=None, *args, **kwargs):
        response = original(request, template_name, context, *args, **kwargs)
        response.view_context = context
        return response

    monkeypatch.setattr(views, "render", render)
