"""`manage.py load_demo`: the launch story loads whole, sourced, and a rerun changes nothing."""

import datetime
import io
import tomllib
import xml.etree.ElementTree as ET

import pytest
import reversion.models
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.validators import URLValidator
from django.utils import timezone

from timeline import demo
from timeline.models import Actor, Correction, Event, EventActor, EventType, Jurisdiction, Measure, Source, Status, Topic

pytestmark = pytest.mark.django_db

SEED_TITLE = "Another Setback For Telecom Chinese Suppliers"

# Every row the command may write, including the many-to-many link tables.
SNAPSHOT_MODELS = [
    EventType,
    Topic,
    Actor,
    Measure,
    Jurisdiction,
    Event,
    EventActor,
    Source,
    Correction,
    Event.jurisdictions.through,
    Event.topics.through,
]


def load(verbosity=0):
    out = io.StringIO()
    call_command("load_demo", verbosity=verbosity, stdout=out)
    return out.getvalue()


def snapshot():
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in SNAPSHOT_MODELS}


@pytest.fixture
def story():
    load()


@pytest.fixture
def story_data(monkeypatch):
    """The story as read from its file; the loader reads this copy instead, which a test edits."""
    data = demo.read_story()
    monkeypatch.setattr(demo, "read_story", lambda: data)
    return data


def test_it_loads_at_least_40_events_between_2012_and_2019(story):
    events = Event.objects.all()
    assert events.count() >= 40
    assert {event.date.year for event in events} <= set(range(2012, 2020))
    assert events.filter(date__year=2012).exists()
    assert events.filter(date__year=2019).exists()


SEED_FACTS = [
    ("us-house-intelligence-committee-report-on-huawei-and-zte", datetime.date(2012, 10, 8), "day"),
    ("huawei-cfo-meng-wanzhou-arrested-in-vancouver", datetime.date(2018, 12, 1), "day"),
    ("mi6-chief-alex-younger-st-andrews-speech", datetime.date(2018, 12, 3), "day"),
    ("bt-removes-huawei-from-core-of-3g-and-4g-networks", datetime.date(2018, 12, 5), "day"),
    ("ansip-says-eu-has-to-be-worried-about-huawei", datetime.date(2018, 12, 7), "day"),
    ("orange-will-not-use-huawei-for-sensitive-network-parts", datetime.date(2018, 12, 1), "month"),
    ("deutsche-telekom-re-evaluates-procurement-strategy", datetime.date(2018, 12, 13), "day"),
    ("norway-considers-requirements-on-network-operators", datetime.date(2018, 12, 1), "month"),
    ("belgian-cybersecurity-centre-assesses-huawei-risk", datetime.date(2018, 12, 1), "month"),
    ("czech-cyber-agency-warns-against-huawei-and-zte", datetime.date(2018, 12, 17), "day"),
    ("czech-prime-minister-orders-stop-to-huawei-phones", datetime.date(2018, 12, 1), "month"),
    ("japan-excludes-huawei-and-zte-from-government-procurement", datetime.date(2018, 12, 10), "day"),
]


def test_it_includes_every_fact_of_the_seed_article(story):
    public = Event.objects.public()
    for slug, date, precision in SEED_FACTS:
        event = Event.objects.get(slug=slug)
        assert (event.date, event.date_precision) == (date, precision), slug
        assert event.sources.filter(title=SEED_TITLE).exists(), slug
        assert event in public, slug


def test_it_names_the_people_and_places_of_the_seed_facts(story):
    arrest = Event.objects.get(slug="huawei-cfo-meng-wanzhou-arrested-in-vancouver")
    assert arrest.display_date == "1 Dec 2018"
    assert "Vancouver" in arrest.summary
    assert arrest.event_type.slug == "arrest"
    assert set(arrest.jurisdictions.values_list("country", flat=True)) == {"CA", "US"}
    assert arrest.event_actors.filter(actor__slug="meng-wanzhou", role="target").exists()

    ansip = Event.objects.get(slug="ansip-says-eu-has-to-be-worried-about-huawei")
    assert "“we have to be worried”" in ansip.summary
    assert list(ansip.jurisdictions.values_list("country", flat=True)) == ["EU"]

    assert Event.objects.get(slug="czech-cyber-agency-warns-against-huawei-and-zte").event_actors.filter(actor__slug="nukib").exists()


def test_it_gives_every_public_event_a_source(story):
    public = Event.objects.public()
    assert public.count() >= 40
    assert not public.filter(sources__isnull=True).exists()


def test_it_keeps_drafts_and_reviews_out_of_public(story):
    drafts = Event.objects.filter(status=Status.DRAFT)
    in_review = Event.objects.filter(status=Status.REVIEW)
    assert drafts.count() >= 3
    assert in_review.count() >= 2
    public = Event.objects.public()
    assert not public.filter(pk__in=drafts).exists()
    assert not public.filter(pk__in=in_review).exists()
    assert not Event.objects.exclude(status=Status.PUBLISHED).filter(publish_at__isnull=False).exists()


def test_it_publishes_the_story_when_it_is_loaded_not_on_the_event_dates():
    started = timezone.now().replace(microsecond=0)
    load()
    finished = timezone.now()
    published = Event.objects.filter(status=Status.PUBLISHED)
    earliest = started - published.count() * datetime.timedelta(seconds=1)
    for event in published:
        assert earliest <= event.publish_at <= finished, event.slug
        assert event.publish_at.date() != event.date, event.slug


def test_it_spaces_publish_times_in_the_order_of_the_event_dates(story):
    story_order = {data["slug"]: position for position, data in enumerate(demo.read_story()["events"])}
    published = list(Event.objects.filter(status=Status.PUBLISHED))
    by_publish_time = [event.slug for event in sorted(published, key=lambda event: event.publish_at)]
    assert by_publish_time == [event.slug for event in sorted(published, key=lambda event: (event.date, story_order[event.slug]))]
    assert len({event.publish_at for event in published}) == len(published)


def test_it_keeps_publish_times_when_run_again_later(story, monkeypatch):
    before = dict(Event.objects.values_list("slug", "publish_at"))
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    assert load(verbosity=1).startswith("0 created, 0 updated, ")
    assert dict(Event.objects.values_list("slug", "publish_at")) == before


def test_its_feed_shows_the_newest_development_first(client, story):
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(client.get("/feed/").content)
    newest = Event.objects.public().order_by("-date", "-publish_at").first()
    first = feed.find(f"{atom}entry")
    assert first.findtext(f"{atom}title").endswith(newest.title)
    assert first.findtext(f"{atom}published").startswith(str(timezone.now().year))


def test_it_shows_corrections_on_published_events(story):
    corrections = Correction.objects.all()
    assert corrections.exists()
    assert all(correction.event.is_public for correction in corrections)


def test_it_cites_only_well_formed_urls(story):
    validate = URLValidator(schemes=["http", "https"])
    urls = list(Source.objects.exclude(url="").values_list("url", flat=True))
    assert urls
    for url in urls:
        validate(url)
        assert url.startswith(("http://", "https://")), url


def test_it_leaves_the_url_empty_where_the_address_is_not_known(story):
    # Documents cited by title and date because their exact address was not verified: an invented URL would look authoritative.
    for title in [
        "Chinese Telecommunications Conglomerate Huawei and Huawei CFO Wanzhou Meng Charged With Financial Fraud",
        "Washington Asks Allies to Drop Huawei",
        "Additions to the Entity List",
    ]:
        assert set(Source.objects.filter(title=title).values_list("url", flat=True)) == {""}, title


def story_event(slug):
    return Event.objects.get(slug=slug)


def test_it_describes_the_meng_arrest_as_bank_fraud_tied_to_iran_sanctions(story):
    arrest = story_event("huawei-cfo-meng-wanzhou-arrested-in-vancouver")
    assert "misled banks" in arrest.summary
    assert "sanctions on Iran" in arrest.summary
    others = arrest.sources.exclude(title=SEED_TITLE)
    assert others.count() >= 2
    assert others.filter(publisher__startswith="U.S. Department of Justice", published_on=datetime.date(2019, 1, 28)).exists()


def test_it_quotes_the_mi6_chief_as_he_spoke(story):
    speech = story_event("mi6-chief-alex-younger-st-andrews-speech")
    assert "“quite a definite position”" in speech.summary
    assert "very definite" not in speech.summary


def test_it_names_the_handset_vodafone_paused(story):
    launches = story_event("ee-and-vodafone-uk-drop-huawei-phones-from-5g-launches")
    assert "Mate 20 X (5G)" in launches.summary
    assert "Mate X " not in launches.summary


def test_it_dates_the_nbn_ban_by_the_afr_report_and_the_confirmation_after_it(story):
    ban = story_event("australia-bars-huawei-from-nbn-tenders")
    assert (ban.date, ban.date_precision) == (datetime.date(2012, 3, 24), "day")
    assert ban.sources.filter(publisher="Australian Financial Review", published_on=datetime.date(2012, 3, 24)).exists()
    assert ban.sources.filter(published_on=datetime.date(2012, 3, 26)).exists()
    assert "26 March" in ban.summary


def test_it_sources_the_zte_listing_from_2016_not_the_2017_plea(story):
    listing = story_event("us-adds-zte-to-entity-list")
    assert listing.date == datetime.date(2016, 3, 8)
    assert not listing.sources.filter(published_on__year=2017).exists()
    assert listing.sources.filter(published_on=datetime.date(2016, 3, 7)).exists()


def test_it_dates_the_us_poland_declaration_by_its_signing_and_its_text_by_release(story):
    declaration = story_event("us-and-poland-sign-joint-declaration-on-5g")
    assert declaration.date == datetime.date(2019, 9, 2)
    assert declaration.sources.get(publisher__startswith="The White House").published_on == datetime.date(2019, 9, 5)
    assert declaration.event_actors.filter(actor__slug="mateusz-morawiecki").exists()


def test_it_does_not_call_norway_ruling_out_a_ban_a_lifting(story):
    norway = story_event("norway-says-it-will-not-ban-huawei-from-5g")
    assert norway.stage == "considered"
    assert not Event.objects.filter(measure__slug="norway-5g-supplier-measures", stage="lifted").exists()


def test_it_includes_zte_in_the_czech_prime_ministers_order(story):
    order = story_event("czech-prime-minister-orders-stop-to-huawei-phones")
    assert "ZTE" in order.title and "ZTE" in order.summary
    assert order.event_actors.filter(actor__slug="zte", role="target").exists()


# The developments of the story's years a reader would otherwise miss: (slug, date, precision, type, stage, measure, country).
ADDED_DEVELOPMENTS = [
    ("uk-ncsc-warns-telecoms-operators-against-zte", datetime.date(2018, 4, 16), "day", "security-warning", "", None, "GB"),
    ("us-urges-allies-to-avoid-huawei-equipment", datetime.date(2018, 11, 22), "day", "official-statement", "", None, "US"),
    ("japanese-carriers-exclude-huawei-and-zte-from-5g", datetime.date(2018, 12, 1), "month", "procurement-decision", "", None, "JP"),
    (
        "german-cyber-security-office-sees-no-grounds-for-huawei-ban",
        datetime.date(2018, 12, 14),
        "day",
        "official-statement",
        "considered",
        "german-telecom-security-requirements",
        "DE",
    ),
    ("tdc-chooses-ericsson-over-huawei-for-5g", datetime.date(2019, 3, 18), "day", "procurement-decision", "", None, "DK"),
    ("italy-extends-golden-power-to-5g", datetime.date(2019, 3, 25), "day", "legislation", "in_effect", "italy-golden-power-over-5g", "IT"),
    (
        "france-law-on-prior-authorisation-of-5g-equipment",
        datetime.date(2019, 8, 1),
        "day",
        "legislation",
        "in_effect",
        "france-authorisation-of-5g-equipment",
        "FR",
    ),
    (
        "german-regulator-publishes-draft-security-catalogue",
        datetime.date(2019, 10, 15),
        "day",
        "legislation",
        "considered",
        "german-telecom-security-requirements",
        "DE",
    ),
]


@pytest.mark.parametrize(("slug", "date", "precision", "event_type", "stage", "measure", "country"), ADDED_DEVELOPMENTS)
def test_it_records_the_developments_a_reader_would_miss(story, slug, date, precision, event_type, stage, measure, country):
    development = story_event(slug)
    assert (development.date, development.date_precision) == (date, precision)
    assert (development.event_type.slug, development.stage) == (event_type, stage)
    assert (development.measure.slug if development.measure else None) == measure
    assert development.jurisdictions.filter(country=country).exists()
    assert development.sources.exclude(title=SEED_TITLE).exists()
    assert development in Event.objects.public()


def test_it_names_the_carriers_and_suppliers_of_the_added_developments(story):
    japan = story_event("japanese-carriers-exclude-huawei-and-zte-from-5g")
    assert {link.actor.slug for link in japan.event_actors.filter(role="initiator")} == {"ntt-docomo", "kddi", "softbank"}
    assert {link.actor.slug for link in japan.event_actors.filter(role="target")} == {"huawei", "zte"}
    assert story_event("uk-ncsc-warns-telecoms-operators-against-zte").event_actors.filter(actor__slug="zte", role="target").exists()
    tdc = story_event("tdc-chooses-ericsson-over-huawei-for-5g")
    assert {(link.actor.slug, link.role) for link in tdc.event_actors.all()} >= {("tdc", "initiator"), ("huawei", "target")}
    assert "Germany, Italy and Japan" in story_event("us-urges-allies-to-avoid-huawei-equipment").summary
    assert story_event("france-law-on-prior-authorisation-of-5g-equipment").sources.filter(title__contains="n° 2019-810").exists()
    assert story_event("italy-extends-golden-power-to-5g").sources.filter(title__startswith="Decreto-legge 25 marzo 2019, n. 22").exists()


def test_it_reports_what_the_first_run_created():
    output = load(verbosity=1)
    created = int(output.split(" created")[0])
    assert created >= Event.objects.count() + Source.objects.count()
    # Unchanged rows on a fresh database are the jurisdictions a migration already created.
    assert ", 0 updated, " in output


def test_it_changes_nothing_on_a_second_run(story):
    before = snapshot()
    output = load(verbosity=1)
    assert snapshot() == before
    assert output.startswith("0 created, 0 updated, ")


def test_it_updates_only_what_the_story_changed(story, story_data):
    events = story_data["events"]
    events[0]["summary"] += " Edited."
    edited = Event.objects.get(slug=events[0]["slug"])
    others = snapshot()["timeline.Event"]

    assert load(verbosity=1).startswith("0 created, 1 updated, ")

    edited_after = Event.objects.get(pk=edited.pk)
    assert edited_after.summary.endswith(" Edited.")
    assert edited_after.updated_at > edited.updated_at
    assert [row for row in snapshot()["timeline.Event"] if row["id"] != edited.pk] == [row for row in others if row["id"] != edited.pk]


def test_it_refuses_an_unknown_reference_and_writes_nothing(story_data):
    story_data["events"][-1]["topics"] = ["no-such-topic"]
    with pytest.raises(CommandError, match="no-such-topic"):
        load()
    assert not Event.objects.exists()
    assert not Topic.objects.exists()


def test_it_refuses_to_publish_an_event_without_a_source(story_data):
    published = next(event for event in story_data["events"] if event["status"] == "published")
    published["sources"] = []
    with pytest.raises(CommandError, match="needs at least one source"):
        load()
    assert not Event.objects.exists()


def test_it_refuses_a_malformed_source_url(story_data):
    story_data["events"][0]["sources"][0]["url"] = "not a url"
    with pytest.raises(CommandError, match="URL"):
        load()


def test_the_story_is_a_plain_toml_document():
    # A document editors review and edit, read by the standard library: no code, no Django.
    document = tomllib.loads(demo.STORY.read_text(encoding="utf-8"))
    assert set(document) == {"topics", "actors", "event_types", "measures", "events"}
    assert len(document["events"]) >= 40


def broken_story(tmp_path, monkeypatch, slug, old, new):
    """A copy of the story with `old` replaced by `new` in the entry of `slug` (its first occurrence there), read instead."""
    text = demo.STORY.read_text(encoding="utf-8")
    start = text.index(f'slug = "{slug}"')
    at = text.index(old, start)
    copy = tmp_path / "story.toml"
    copy.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    monkeypatch.setattr(demo, "STORY", copy)
    return copy, text[:at].count("\n") + 1


ANSIP = "ansip-says-eu-has-to-be-worried-about-huawei"


def test_it_names_the_file_the_line_and_the_entry_of_a_toml_syntax_error(tmp_path, monkeypatch):
    # The title's closing quote is missing.
    path, line = broken_story(tmp_path, monkeypatch, ANSIP, '"\nsummary', "\nsummary")
    with pytest.raises(CommandError) as refused:
        load()
    message = str(refused.value)
    assert message.startswith(f"{path} is not valid TOML: ")
    assert f"(at line {line}, " in message
    assert message.endswith(f"in the entry “{ANSIP}”")
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("slug", "old", "new", "expected"),
    [
        (ANSIP, 'precision = "day"\n', "", f"event “{ANSIP}” has no “precision”."),
        (ANSIP, "status =", "staus =", f"event “{ANSIP}” has an unknown key “staus”; its keys are slug, title, summary,"),
        (ANSIP, "date = 2018-12-07", 'date = "2018-12-07"', f"event “{ANSIP}”: “date” must be a date written YYYY-MM-DD without quotes,"),
        (ANSIP, 'publisher = "', 'publishers = "', f"event “{ANSIP}”, source no. 1 has an unknown key “publishers”"),
        (ANSIP, 'jurisdictions = ["EU"]', 'jurisdictions = "EU"', f"event “{ANSIP}”: “jurisdictions” must be a list of texts, not 'EU'."),
        ("huawei", 'kind = "company", ', "", "actor “huawei” has no “kind”."),
        ("australia-bars-huawei-from-nbn-tenders", 'slug = "australia-bars-huawei-from-nbn-tenders"\n', "", "event no. 1 has no “slug”."),
    ],
)
def test_it_names_the_file_the_entry_and_the_key_an_editor_got_wrong(tmp_path, monkeypatch, slug, old, new, expected):
    path, _ = broken_story(tmp_path, monkeypatch, slug, old, new)
    with pytest.raises(CommandError) as refused:
        load()
    assert str(refused.value).startswith(f"{path}: {expected}")
    assert not Event.objects.exists()


def test_it_names_the_story_file_when_an_entry_refers_to_nothing(story_data):
    story_data["events"][0]["type"] = "no-such-type"
    with pytest.raises(CommandError) as refused:
        load()
    event = story_data["events"][0]["slug"]
    assert str(refused.value) == f"timeline/demo/story.toml: Event “{event}” refers to an unknown event type “no-such-type”."


def test_it_starts_each_events_history_with_the_story_as_loaded():
    call_command("load_demo", verbosity=0)
    event = Event.objects.get(slug=Event.objects.order_by("pk").values_list("slug", flat=True).first())
    [version] = reversion.models.Version.objects.get_for_object(event)
    assert version.revision.get_comment() == "Loaded from the demo story"
    call_command("load_demo", verbosity=0)
    assert reversion.models.Version.objects.get_for_object(event).count() == 1


def test_if_empty_never_resets_what_editors_changed():
    call_command("load_demo", verbosity=0)
    event = Event.objects.public().first()
    Event.objects.filter(pk=event.pk).update(title="Edited by the newsroom")
    out = io.StringIO()
    call_command("load_demo", if_empty=True, stdout=out)
    assert "not loaded again" in out.getvalue()
    assert Event.objects.get(pk=event.pk).title == "Edited by the newsroom"


def test_every_demo_event_passes_the_admins_validation(story):
    # What the admin would refuse (a stage without its measure, say) must not arrive by the loader either.
    for event in Event.objects.all():
        event.full_clean()
