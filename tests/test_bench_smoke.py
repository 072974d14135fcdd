"""`make bench` in miniature: 500 events, a few rounds, so CI notices when the benchmark rots.

The full run is for people (EVENTS=100000); this one only proves every
measurement still runs and reports every figure the issue asks for.
"""

import json
import math

import pytest
from django.core.management import CommandError, call_command

from tests.factories import editors_group
from timeline.models import Event, Release

REQUIRED_KEYS = [
    "events",
    "floor_p95_ms",
    "page_p95_ms",
    "page_vs_floor",
    "filtered_vs_floor",
    "partial_vs_floor",
    "search_vs_floor",
    "facets_vs_floor",
    "deep_page_vs_first",
    "queries_page_small",
    "queries_page_large",
    "csv_rows_per_s",
    "raw_rows_per_s",
    "csv_vs_raw",
    "csv_peak_mb_small",
    "csv_peak_mb_large",
    "admin_deep_vs_first",
    "admin_first_vs_floor",
    "admin_deep_vs_floor",
    "csv_first_row_s",
    "json_first_row_s",
    "json_rows_per_s",
    "copy_rows_per_s",
    "csv_vs_copy",
    "json_vs_copy",
    "api_page_vs_floor",
    "api_filtered_vs_floor",
    "api_deep_vs_floor",
    "api_event_vs_floor",
    "xlsx_rows_per_s",
    "xlsx_peak_mb_small",
    "xlsx_peak_mb_large",
    "release_build_s",
    "release_rows_per_s",
    "measures_vs_floor",
    "measures_filtered_vs_floor",
    "measures_cold_vs_floor",
]


@pytest.mark.django_db
def test_bench_runs_small_and_reports_every_figure(tmp_path):
    output = tmp_path / "bench-results.json"
    # In the test database (no bench database of its own), rolled back afterwards; gunicorn's
    # workers could not read those rows, so the served run is tested apart, on committed ones.
    call_command(
        "bench", events=500, rounds=3, warmup=1, budget=1, csv_runs=1, in_place=True, served_seconds=0, output=str(output), verbosity=0
    )
    results = json.loads(output.read_text())

    assert results["events"] == 500
    assert results["database"].split()[0] in {"sqlite", "postgresql"}
    for key in REQUIRED_KEYS:
        value = results[key]
        assert isinstance(value, int | float) and not isinstance(value, bool), key
        assert math.isfinite(value), key
    assert results["csv_rows_per_s"] > 0 and results["raw_rows_per_s"] > 0
    # The facet index's rebuild, the price of the first count after an edit, is reported apart.
    assert results["facet_index_build_ms"] > 0

    # The number of queries of a page does not grow with the number of events.
    assert results["small_events"] < results["events"]
    assert results["queries_page_small"] == results["queries_page_large"]

    # An API page takes the same queries at both sizes; a release holds every public event, and leaves no row behind.
    for name in ("api_page", "api_filtered", "api_deep", "api_event"):
        assert results["queries_small"][name] == results["queries"][name], name
    assert results["release_events"] == results["public_events"]
    assert results["release_build_s"] > 0 and results["release_first_build_s"] > 0
    assert not Release.objects.exists()

    # The CSV holds every public event; the tenth is a real subset.
    assert results["csv_rows"] == results["public_events"] == Event.objects.public().count()
    assert 0 < results["csv_rows_small"] < results["csv_rows"]


@pytest.mark.django_db
def test_bench_only_times_the_chosen_endpoints_against_the_floor(tmp_path):
    output = tmp_path / "bench-results.json"
    call_command(
        "bench", events=500, rounds=3, warmup=1, budget=1, in_place=True, only="admin_first,admin_deep", output=str(output), verbosity=0
    )
    results = json.loads(output.read_text())
    assert results["only"] == ["admin_deep", "admin_first", "floor"]
    assert results["admin_first_vs_floor"] > 0 and results["admin_deep_vs_floor"] > 0
    assert [check[0] for check in results["admin_targets"]] == ["admin_first_vs_floor", "admin_deep_vs_floor"]


def test_bench_only_refuses_an_unknown_endpoint():
    with pytest.raises(CommandError, match="unknown endpoints nonsense"):
        call_command("bench", events=500, in_place=True, only="nonsense", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_bench_serves_readers_through_gunicorn_with_each_cache(tmp_path, monkeypatch):
    # Committed rows (transaction=True), so gunicorn's workers read them. DEBUG
    # for the server alone: it serves the static floor without collectstatic.
    monkeypatch.setenv("DEBUG", "true")
    editors_group()  # the bench signs in as an editor; an earlier transactional test's flush took the group
    output = tmp_path / "bench-results.json"
    redis_url = "redis://127.0.0.1:6379/15"
    call_command(
        "bench",
        events=500,
        rounds=3,
        warmup=1,
        budget=1,
        in_place=True,
        only="served",
        served_seconds=2,
        served_redis_url=redis_url,
        output=str(output),
        verbosity=0,
    )
    results = json.loads(output.read_text())

    assert results["only"] == ["floor"]
    runs = results["served"]["runs"]
    locmem = runs["locmem"]
    assert locmem["failed_requests"] == results["served_failed_requests"] == 0
    assert locmem["readers"]["n"] > 0 and locmem["floor"]["n"] > 0
    assert sum(spread["n"] for spread in locmem["mix"].values()) == locmem["readers"]["n"]
    assert results["served_locmem_p99_ms"] == locmem["readers"]["p99_ms"] > 0
    assert math.isfinite(results["served_p99_ms"]) and results["served_p99_ms"] >= results["served_locmem_p99_ms"]
    assert math.isfinite(results["served_floor_p99_ms"])
    assert [check[0] for check in results["served_targets"]] == ["served_p99_ms", "served_failed_requests"]
    # Redis runs in development and CI; elsewhere the run says why it was left out.
    if "skipped" in runs["redis"]:
        assert runs["redis"]["skipped"].startswith(f"Redis at {redis_url} did not answer")
    else:
        assert runs["redis"]["failed_requests"] == 0 and runs["redis"]["readers"]["n"] > 0
        assert results["served_p99_ms"] == max(results["served_locmem_p99_ms"], results["served_redis_p99_ms"])
