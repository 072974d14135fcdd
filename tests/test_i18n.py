"""Languages: the readers' pages in English, French and German.

Every template string is marked for translation, each language renders the
reader's pages without an English string left over, the committed catalogs
are complete and compiled, the reader's choice (cookie, else Accept-Language,
else English) is honoured, and nothing cached in one language reaches a
reader of another.
"""

import ast
import datetime
import gettext
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.test import Client, TestCase
from django.utils import translation

from timeline import releases
from timeline.demo import read_story
from timeline.models import Role, Stage

from .factories import ActorFactory, CorrectionFactory, EventFactory, EventTypeFactory, MeasureFactory, TopicFactory

# The demo story's event types, each of which must have its translations.
STORY_TYPES = read_story()["event_types"]


@pytest.fixture(autouse=True)
def _back_to_english():
    """The test client's requests activate the reader's language in this thread and leave it there: not for the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
LANGUAGES = ["en", "fr", "de"]
TRANSLATED = ["fr", "de"]

# ---------------------------------------------------------------------------
# Every template string is marked
# ---------------------------------------------------------------------------

# Editors' pages: the admin stays in English (timeline/i18n.py, ENGLISH_ONLY).
EDITOR_TEMPLATES = ("admin/", "reversion/")
# Visible text that is not in any language: the site's name (a masthead, and the
# name the data is cited by), file formats and signs.
NOT_LANGUAGE = {"Policy Timeline", "Policy", "Timeline", "CSV", "JSON", "Excel", "API", "SHA-256"}
# Attributes a reader meets: read aloud, shown on hover or in an empty field.
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
MARK = "\u2063"  # stands for a tag or variable: not a letter, not a space


def template_skeleton(source):
    """The template's HTML with every tag and variable replaced by MARK, and the text of
    {% translate %}, {% blocktranslate %} and comments left out."""
    parts = []
    skipping = None
    for token in Lexer(source).tokenize():
        if skipping:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == skipping:
                skipping = None
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in ("blocktranslate", "blocktrans"):
                skipping = "end" + name
            elif name == "comment":
                skipping = "endcomment"
        parts.append(MARK)
    return "".join(parts)


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.found.append(value)
        meta_name = attributes.get("name") or attributes.get("property") or ""
        if tag == "meta" and any(word in meta_name for word in ("description", "title", "alt")):
            self.found.append(attributes.get("content") or "")

    def handle_data(self, data):
        self.found.append(data)


def unmarked_text(source):
    """Pieces of text a reader would see that hold letters outside translation tags."""
    parser = _VisibleText()
    parser.feed(template_skeleton(source))
    parser.close()
    pieces = []
    for text in parser.found:
        for piece in text.split(MARK):
            piece = " ".join(piece.split())
            if any(character.isalpha() for character in piece) and piece.strip(" ·:,.()") not in NOT_LANGUAGE:
                pieces.append(piece)
    return pieces


READER_TEMPLATES = sorted(
    path for path in TEMPLATES.rglob("*.html") if not path.relative_to(TEMPLATES).as_posix().startswith(EDITOR_TEMPLATES)
)


def test_it_finds_the_reader_templates():
    names = {path.relative_to(TEMPLATES).as_posix() for path in READER_TEMPLATES}
    assert {"base.html", "404.html", "500.html", "timeline/index.html", "timeline/codebook.html", "timeline/_filters.html"} <= names


@pytest.mark.parametrize("path", READER_TEMPLATES, ids=lambda path: path.relative_to(TEMPLATES).as_posix())
def test_every_template_string_is_marked_for_translation(path):
    assert unmarked_text(path.read_text()) == []


def test_the_check_catches_unmarked_text_and_attributes():
    source = (
        '{% load i18n %}<p>Hello {{ name }}</p><img alt="A flag"><input placeholder="{% translate "Words" %}">'
        '<meta name="description" content="Sourced events">{% blocktranslate %}Fine {{ x }}{% endblocktranslate %}'
        "{# a comment #}{% comment %}Not shown{% endcomment %}<b>{% translate 'Marked' %}</b> · Policy Timeline"
    )
    assert unmarked_text(source) == ["Hello", "A flag", "Sourced events"]


# ---------------------------------------------------------------------------
# The catalogs: complete, and the committed .mo is the .po compiled
# ---------------------------------------------------------------------------


def read_po(path):
    """{key: translation} of a .po file, keys as Python's gettext keys them: "context\\x04msgid",
    and (key, n) for each plural form; the header under "". Also the keys of fuzzy entries,
    and {key: msgid_plural} of plural ones."""
    entries, fuzzy, plurals = {}, set(), {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields, current, flags = {}, None, ""
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += line
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                fields[current] += ast.literal_eval(line)
            else:
                current, _, value = line.partition(" ")
                fields[current] = ast.literal_eval(value)
        if "msgid" not in fields:
            continue
        key = f"{fields['msgctxt']}\x04{fields['msgid']}" if "msgctxt" in fields else fields["msgid"]
        if "msgid_plural" in fields:
            plurals[key] = fields["msgid_plural"]
            forms = sorted(name for name in fields if name.startswith("msgstr["))
            for name in forms:
                entries[(key, int(name[7:-1]))] = fields[name]
        else:
            entries[key] = fields["msgstr"]
        if "fuzzy" in flags:
            fuzzy.add(key)
    return entries, fuzzy, plurals


def catalog(language):
    return ROOT / "locale" / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalog_has_no_empty_or_fuzzy_entry(language):
    entries, fuzzy, _ = read_po(catalog(language))
    assert len(entries) > 300
    assert fuzzy == set()
    assert [key for key, text in entries.items() if not text] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_committed_mo_is_the_po_compiled(language):
    """CI does not run msgfmt: the .mo in the repository must be the one of its .po (`manage.py compilemessages`)."""
    entries, _, _ = read_po(catalog(language))
    with open(catalog(language).with_suffix(".mo"), "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    compiled_entries = dict(translations._catalog)
    # msgfmt leaves the template's creation date out of the compiled header.
    header = "".join(line for line in entries.pop("").splitlines(keepends=True) if not line.startswith("POT-Creation-Date:"))
    assert compiled_entries.pop("") == header
    assert compiled_entries == entries


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders_and_tags(language):
    entries, _, plurals = read_po(catalog(language))
    for key, text in entries.items():
        if not key:
            continue
        if isinstance(key, tuple):
            msgid = key[0].split("\x04")[-1]
            # A form may leave out the count (“One event”), never add a name the English lacks.
            allowed = set(re.findall(r"%\(\w+\)s", msgid + plurals[key[0]]))
            assert set(re.findall(r"%\(\w+\)s", text)) <= allowed, (key, text)
        else:
            msgid = key.split("\x04")[-1]
            assert set(re.findall(r"%\(\w+\)s", text)) == set(re.findall(r"%\(\w+\)s", msgid)), (key, text)
        assert sorted(re.findall(r"<[^>]+>", text)) == sorted(re.findall(r"<[^>]+>", msgid)), (key, text)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_event_type_of_the_demo_story_is_translated(language):
    """The codebook's types are catalog entries (timeline/vocabulary.py): each seeded name, plural and definition."""
    with translation.override(language):
        for item in STORY_TYPES:
            assert translation.pgettext("event type", item["name"]) != item["name"], item["name"]
            assert translation.pgettext("event type, plural", item["name"]) != item["name"], item["name"]
            assert translation.pgettext("event type definition", item["definition"]) != item["definition"], item["name"]


# ---------------------------------------------------------------------------
# Each language renders the reader's pages, with nothing left in English
# ---------------------------------------------------------------------------


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _PageText(HTMLParser):
    """What a reader of a page meets in its language: its text and the attributes read aloud or
    shown, but for the parts marked as written in another (<td lang="en">)."""

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts = []
        self.open = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, attributes.get("lang", self.language) != self.language))
        if not self.elsewhere():
            self.parts += [value for name, value in attrs if name in READ_ATTRIBUTES | {"content"} and value]

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def elsewhere(self):
        return any(other for _, other in self.open)

    def handle_data(self, data):
        if not self.elsewhere():
            self.parts.append(data)


def page_text(content, language):
    parser = _PageText(language)
    parser.feed(content)
    return " ".join(" ".join(parser.parts).split())


def english_strings_translated_in(language):
    """The catalog's English strings that the language writes differently, whole sentences or
    phrases of two words or more without placeholders or tags (a lone word could be a name)."""
    entries, _, _ = read_po(catalog(language))
    found = set()
    for key, text in entries.items():
        if not key or isinstance(key, tuple):
            continue
        msgid = key.split("\x04")[-1]
        if text != msgid and "%(" not in msgid and "<" not in msgid and " " in msgid.strip():
            found.add(html.unescape(msgid))
    return found


@pytest.fixture
def story(db):
    """A few public events that put every part of the pages on screen: types, places, actors, a measure with stages, a correction."""
    ban = EventTypeFactory(name="Ban or restriction", slug="ban-or-restriction", definition=STORY_TYPES[1]["definition"])
    statement = EventTypeFactory(name="Official statement", slug="official-statement", definition=STORY_TYPES[5]["definition"])
    measure = MeasureFactory(title="Czech limits on Huawei", slug="czech-limits")
    government, huawei = ActorFactory(name="Czech government"), ActorFactory(name="Huawei", kind="company")
    topic = TopicFactory(name="5G", slug="5g")
    first = EventFactory(
        title="Czech regulator warns against Huawei",
        slug="czech-warning",
        event_type=statement,
        date=datetime.date(2018, 12, 17),
        measure=measure,
        stage=Stage.CONSIDERED,
        countries=["CZ"],
        actor_roles=[(government, Role.INITIATOR), (huawei, Role.TARGET)],
    )
    second = EventFactory(
        title="Czech government bans Huawei phones",
        slug="czech-ban",
        event_type=ban,
        date=datetime.date(2019, 1, 4),
        measure=measure,
        stage=Stage.IN_EFFECT,
        countries=["CZ", "DE"],
        actor_roles=[(government, Role.INITIATOR), (huawei, Role.TARGET)],
        body="The order applies to **state offices**.",
    )
    second.topics.add(topic)
    EventFactory(
        title="Berlin reviews suppliers",
        slug="berlin-review",
        event_type=statement,
        date=datetime.date(2019, 3, 1),
        date_precision="month",
        countries=["DE"],
    )
    CorrectionFactory(event=second, corrected_on=datetime.date(2019, 1, 10))
    return {"first": first, "second": second, "measure": measure}


READER_PAGES = [
    "/",
    "/events/czech-ban/",
    "/measures/",
    "/data/",
    "/measures/czech-limits/",
    "/?type=ban-or-restriction&country=DE&since=2019",
    "/embed/?country=DE",
    "/data/releases/",
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", READER_PAGES)
def test_each_language_renders_the_readers_pages(client, story, language, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    assert response["Content-Language"] == language
    if language in TRANSLATED:
        text = page_text(content, language)
        assert [english for english in english_strings_translated_in(language) if english in text] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_release_page_is_translated(client, story, language):
    """Two releases, so the second has a changelog: counts, changes and dates in the reader's language."""
    for _ in range(2):
        with TestCase.captureOnCommitCallbacks(execute=True):
            releases.cut_release("https://timeline.example.org")
    for path in ["/data/releases/", "/data/releases/2/", "/data/"]:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        text = page_text(response.content.decode(), language)
        assert [english for english in english_strings_translated_in(language) if english in text] == []
    detail = client.get("/data/releases/2/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert {"fr": "Par rapport à la", "de": "Gegenüber"}[language] in detail


def test_a_releases_files_are_english_whatever_language_the_thread_served_last(story):
    """A worker that answered a French reader still writes the dataset in English (country names are values)."""
    translation.activate("fr")
    with TestCase.captureOnCommitCallbacks(execute=True):
        release = releases.cut_release("https://timeline.example.org")
    written = (releases.release_dir(release.number) / releases.csv_name(release.number)).read_text(encoding="utf-8-sig")
    assert "Czechia | Germany" in written and "Allemagne" not in written


def test_the_french_timeline_speaks_french(client, story):
    # French sets a no-break space before a colon (and inside « »).
    content = client.get("/?type=ban-or-restriction&country=DE", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # The title and chips, from the filters; the cards; the facets; the dates.
    assert "<title>Interdictions ou restrictions – Allemagne · Policy Timeline</title>" in content
    assert "Type\u00a0: Interdiction ou restriction" in content
    assert "Stade\u00a0: En vigueur" in content
    assert "4 janv. 2019" in content
    assert 'Czech government <span class="role">(initiateur)</span>' in content
    # Event content stays as written.
    assert "Czech government bans Huawei phones" in content


def test_the_german_event_page_writes_german_dates(client, story):
    content = client.get("/events/czech-ban/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "4. Jan. 2019" in content
    assert 'Korrigiert am <time datetime="2019-01-10">10. Jan. 2019</time>' in content
    assert 'Huawei</a> <span class="role">(Ziel)</span>' in content
    assert '<a class="tag tag-type" href="/?type=ban-or-restriction">Verbot oder Beschränkung</a>' in content


def test_a_month_heading_and_an_unknown_day_are_in_the_readers_language(client, story):
    content = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<h4 class="month-heading">mars 2019</h4>' in content
    assert "(jour inconnu)" in content


def test_the_codebook_is_translated(client, story):
    content = client.get("/data/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    # Column names are a contract; their meanings, the types, stages and precisions are translated.
    meaning = "ISO-3166-1-Alpha-2-Codes der betroffenen Länder; EU für die Europäische Union."
    assert f"<code>jurisdiction_codes</code></th><td>{meaning}</td>" in content
    assert '<th scope="row">Verbot oder Beschränkung</th><td><code>ban-or-restriction</code></td>' in content
    assert "schließt einen Anbieter, ein Produkt oder eine Dienstleistung" in content
    assert '<th scope="row">In Erwägung</th><td><code>considered</code></td>' in content
    assert '<th scope="row">Monat</th><td><code>month</code></td>' in content


# ---------------------------------------------------------------------------
# How a reader chooses
# ---------------------------------------------------------------------------


def lang_of(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "language"),
    [("fr-FR,fr;q=0.9,en;q=0.5", "fr"), ("de-AT", "de"), ("en-US,en;q=0.8", "en"), ("ja,zh;q=0.8", "en"), ("", "en")],
)
def test_accept_language_picks_the_language_and_an_unknown_one_falls_back_to_english(client, header, language):
    assert lang_of(client.get("/", HTTP_ACCEPT_LANGUAGE=header)) == language


@pytest.mark.django_db
def test_the_switchers_cookie_overrides_accept_language(client):
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/?country=DE&since=2019"}, HTTP_ACCEPT_LANGUAGE="fr")
    # Back to the same filtered view, the choice kept for a year.
    assert response.status_code == 302
    assert response["Location"] == "/?country=DE&since=2019"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "de"
    assert cookie["max-age"] == 60 * 60 * 24 * 365
    assert lang_of(client.get("/", HTTP_ACCEPT_LANGUAGE="fr")) == "de"


@pytest.mark.django_db
def test_the_switcher_works_without_a_csrf_token_and_keeps_the_view(client):
    """A plain form: no token in the page (it would set a cookie and keep shared caches from storing pages)."""
    page = client.get("/?country=DE", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    form = re.search(r'<form class="language-switch" action="([^"]+)" method="post"[^>]*>(.*?)</form>', page, re.S)
    assert form.group(1) == "/i18n/setlang/"
    assert '<input type="hidden" name="next" value="/?country=DE" data-language-next>' in form.group(2)
    assert "csrfmiddlewaretoken" not in page
    assert re.findall(r'<button type="submit" name="language" value="(\w+)" lang="\w+" aria-label="([^"]+)"', form.group(2)) == [
        ("en", "English"),
        ("fr", "français"),
        ("de", "Deutsch"),
    ]
    current = '<button type="submit" name="language" value="en" lang="en" aria-label="English" aria-current="true">EN</button>'
    assert current in form.group(2)
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/i18n/setlang/", {"language": "fr", "next": "/?country=DE"})
    assert (response.status_code, response["Location"]) == (302, "/?country=DE")


@pytest.mark.django_db
def test_the_switcher_will_not_send_a_reader_to_another_site(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"}, HTTP_REFERER="")
    assert response["Location"] == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/data/", "/measures/"])
def test_pages_vary_on_accept_language_and_cookie_for_shared_caches(client, path):
    vary = {part.strip() for part in client.get(path)["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


@pytest.mark.django_db
def test_the_admin_and_the_downloads_stay_english(client, story):
    assert lang_of(client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="fr")) == "en"
    download = client.get("/export.json", HTTP_ACCEPT_LANGUAGE="de")
    rows = json.loads(b"".join(download.streaming_content))["events"]
    # Country names are values of the data: the same whoever downloads it.
    assert ["Czechia", "Germany"] in [row["jurisdiction_names"] for row in rows]
    refused = client.get("/export.csv?since=2019-13", HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 400
    assert "These filters cannot be applied" in refused.content.decode()


@pytest.mark.django_db
def test_a_bad_link_is_explained_in_the_readers_language(client):
    content = client.get("/?since=2019-13", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Une partie de ce lien a été ignorée" in content
    assert "Depuis\u00a0: Saisissez un mois entre 01 et 12." in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [("en", "This request could not be read"), ("de", "Diese Anfrage konnte nicht gelesen werden")]
)
def test_a_refused_request_is_answered_in_the_readers_language(client, language, heading):
    response = client.get("/", HTTP_HOST="unknown.example", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert f'<html lang="{language}">' in response.content.decode() and f"<h1>{heading}</h1>" in response.content.decode()


@pytest.mark.django_db
def test_a_missing_page_is_answered_in_the_readers_language(client):
    response = client.get("/events/no-such-event/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert '<h1 class="page-title">Page introuvable</h1>' in response.content.decode()


# ---------------------------------------------------------------------------
# Caches: nothing cached in one language reaches a reader of another
# ---------------------------------------------------------------------------


def test_cards_facets_and_overview_are_cached_per_language(client, story):
    """The same data version, read in English and then in French: the French page is French throughout."""
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Stage: In effect" in english and "Ban or restriction" in english
    french = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # A card, the facet panel (a template fragment), the overview (another), the month headings.
    assert "Stade\u00a0: En vigueur" in french
    assert "Stage: In effect" not in french
    assert re.search(r'<label for="f-type-ban-or-restriction"[^>]*>\s*Interdiction ou restriction', french)
    assert "Événements par mois, déc. 2018 – mars 2019" in french
    assert "Ban or restriction" not in french
    # And back: the English cached entries were not replaced.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode() == english


def test_the_measures_page_is_cached_per_language(client, story):
    english = client.get("/measures/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    german = client.get("/measures/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Czechia" in english and "Tschechien" in german
    assert "Where things stood today" in english and "Der Stand heute" in german
    assert "Where things stood" not in german


def test_share_images_are_drawn_per_language(client, story):
    english = client.get("/share/timeline.png", HTTP_ACCEPT_LANGUAGE="en")
    french = client.get("/share/timeline.png", HTTP_ACCEPT_LANGUAGE="fr")
    assert english.status_code == french.status_code == 200
    assert english.content != french.content
    assert client.get("/share/timeline.png", HTTP_ACCEPT_LANGUAGE="en").content == english.content
    assert {"Accept-Language", "Cookie"} <= {part.strip() for part in french["Vary"].split(",")}


def test_a_french_pages_share_image_is_french_whoever_fetches_it(client, story):
    """A platform fetching the image of a French page sends its own Accept-Language and no cookie: the address names the language."""
    content = client.get("/?country=DE", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    image = html.unescape(re.search(r'<meta property="og:image" content="([^"]*)">', content).group(1))
    assert image.startswith("http://testserver/share/timeline.png?country=DE&v=") and image.endswith("&lang=fr")
    fetched = Client().get(image.removeprefix("http://testserver"), HTTP_ACCEPT_LANGUAGE="en-US")
    assert fetched.status_code == 200
    assert fetched.content == client.get("/share/timeline.png?country=DE", HTTP_ACCEPT_LANGUAGE="fr").content
    assert fetched.content != client.get("/share/timeline.png?country=DE", HTTP_ACCEPT_LANGUAGE="en").content
    # An English page's image keeps its address; a language the site does not have is no language.
    english = client.get("/?country=DE", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "lang=" not in re.search(r'<meta property="og:image" content="([^"]*)">', english).group(1)
    assert lang_of_image(client, "/share/timeline.png?country=DE&lang=xx") == lang_of_image(client, "/share/timeline.png?country=DE")


def lang_of_image(client, path):
    return client.get(path, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"]


def test_the_share_description_is_in_the_readers_language(client, story):
    content = client.get("/?country=DE", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    description = re.search(r'<meta property="og:description" content="([^"]*)">', content).group(1)
    assert html.unescape(description) == "Événements – Allemagne\u00a0: 2 événements, janv. 2019 – mars 2019, chacun avec ses sources."
