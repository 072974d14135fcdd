"""Words searches: the same rules on PostgreSQL and SQLite.

Readers type words as a web search engine takes them: every word must match,
"a quoted phrase" matches those words in that order, `huawei OR zte` matches
either, `-word` excludes, and accents never matter (NUKIB finds NÚKIB, Babis
finds Babiš).

PostgreSQL parses the query itself (websearch_to_tsquery) and matches the
stored tsvector, both under the text search configuration SEARCH_CONFIG,
which removes accents (unaccent) before English stemming (migration 0010).
SQLite has neither: its events store their text folded (lower case, no
accents) in `search_text`, and the same query is parsed here into LIKE tests.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Func, Q

from .replica import reading_connection

# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})


def fold(text):
    """Text as searches compare it: lower case, accents removed, runs of spaces as one."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(character for character in decomposed if not unicodedata.combining(character))
    return " ".join(bare.translate(_UNDECOMPOSED).split())


@dataclass(frozen=True)
class Term:
    text: str
    excluded: bool = False


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse(query):
    """A words query as clauses that must all match, each a list of terms of which one must.

    `core "network gear" huawei OR zte -phones` gives
    [[core], [network gear], [huawei, zte], [-phones]]. A stray OR, empty
    quotes and a lone "-" are ignored, as websearch_to_tsquery ignores them.
    """
    clauses, join_next = [], False
    for excluded, quoted, bare in _TOKEN.findall(query):
        if bare and bare.upper() == "OR":
            join_next = bool(clauses)
            continue
        if bare.startswith("-"):
            excluded, bare = "-", bare[1:]
        text = fold(quoted if not bare else bare)
        if not text:
            continue
        term = Term(text, excluded=bool(excluded))
        if join_next and not term.excluded and not any(t.excluded for t in clauses[-1]):
            clauses[-1].append(term)
        else:
            clauses.append([term])
        join_next = False
    return clauses


class NotIndexed(Func):
    """The same test written so that no index serves it.

    PostgreSQL estimates a search for several words as if they never went
    together ("surveillance cameras": 230 events expected, 4,300 found at
    100,000 events), so it collects every match through the GIN index and
    sorts them all: 4,300 rows read for a page of 25. When the words are
    known to be common, testing them while walking the (sort_date, id) index
    in order reads about 25 / share-of-matches rows instead.
    """

    template = "(%(expressions)s) IS TRUE"
    output_field = BooleanField()

    def __init__(self, condition):
        super().__init__(ExpressionWrapper(condition, output_field=BooleanField()))


def matching(queryset, query, walk_by_date=False):
    """The events of `queryset` that match the words `query` (see the module's rules).

    `walk_by_date` (PostgreSQL) writes the test so that no index serves it:
    see NotIndexed for when that is faster.
    """
    if not query.strip():
        return queryset
    if connection.vendor == "postgresql":
        match = Q(search_vector=SearchQuery(query, search_type="websearch", config=settings.SEARCH_CONFIG))
        return queryset.filter(NotIndexed(match) if walk_by_date else match)
    for clause in parse(query):
        either = Q()
        for term in clause:
            either |= ~Q(search_text__contains=term.text) if term.excluded else Q(search_text__contains=term.text)
        queryset = queryset.filter(either)
    return queryset


# -- the parsed query, for the facet index (PostgreSQL) -----------------------------------

_TSQUERY_TOKEN = re.compile(r"'((?:[^']|'')*)'|(<\d*-?>)|([!&|()])")


def tsquery_tree(query):
    """The words `query` as PostgreSQL parses it, as a tree: ("word", lexeme), ("not", a),
    ("and", a, b), ("or", a, b) or ("phrase", a, b); None when it has no words to match.

    PostgreSQL stems, removes accents and stop words (websearch_to_tsquery);
    the tree is read back from its text form, whose operators bind as
    tsquery's do: ! before <-> before & before |.
    """
    return _parsed(settings.SEARCH_CONFIG, query)


# A parse depends only on the text search configuration, which a migration
# sets once: asked of PostgreSQL once a process for each words typed, not
# in a round trip on every count of a words search.
@functools.lru_cache(maxsize=4096)
def _parsed(config, query):
    with reading_connection().cursor() as cursor:
        cursor.execute("SELECT websearch_to_tsquery(%s, %s)::text", [config, query])
        text = cursor.fetchone()[0]
    tokens = []
    for lexeme, phrase, operator in _TSQUERY_TOKEN.findall(text):
        tokens.append(("<", None) if phrase else (operator, None) if operator else ("word", lexeme.replace("''", "'")))
    if not tokens:
        return None
    return _binary(tokens, 0)[0]


_BINDING = [("|", "or"), ("&", "and"), ("<", "phrase")]


def _binary(tokens, level):
    if level == len(_BINDING):
        return _unary(tokens)
    symbol, name = _BINDING[level]
    left, tokens = _binary(tokens, level + 1)
    while tokens and tokens[0][0].startswith(symbol):
        right, tokens = _binary(tokens[1:], level + 1)
        left = (name, left, right)
    return left, tokens


def _unary(tokens):
    kind, lexeme = tokens[0]
    if kind == "!":
        operand, rest = _unary(tokens[1:])
        return ("not", operand), rest
    if kind == "(":
        inner, rest = _binary(tokens[1:], 0)
        return inner, rest[1:]  # past ")"
    return ("word", lexeme), tokens[1:]
