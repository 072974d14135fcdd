"""Languages: which one a request is answered in, and dates written the way that language writes them."""

import functools

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import dateformat, translation
from django.utils.cache import patch_vary_headers
from django.utils.formats import iter_format_modules
from django.utils.translation import pgettext_lazy

# Answered in English whatever the reader's language. The admin: its help
# texts, the desk and the import are written for one newsroom in English, and
# a half-translated admin with French date widgets would make editors type
# dates differently. The downloads and the API: data, whose values (country
# names in jurisdiction_names) must not change with the browser that asked.
ENGLISH_ONLY = ("/admin/", "/api/", "/export.")
# Share images name their language in their address (`lang=fr`, see share.tags): a
# platform fetching a French page's image sends no cookie, and its own Accept-Language.
SHARE_IMAGES = "/share/"


class ReaderLocaleMiddleware(LocaleMiddleware):
    """The reader's language: the switcher's cookie, else Accept-Language, else English (see ENGLISH_ONLY).

    Every response varies on Cookie as well as Accept-Language (which
    LocaleMiddleware adds), since the language cookie chooses the language too:
    a shared cache must not hand a French page to a reader who chose German.
    """

    def process_request(self, request):
        if request.path_info.startswith(ENGLISH_ONLY):
            self._use(request, settings.LANGUAGE_CODE)
            return
        if request.path_info.startswith(SHARE_IMAGES) and request.GET.get("lang") in dict(settings.LANGUAGES):
            self._use(request, request.GET["lang"])
            return
        super().process_request(request)

    @staticmethod
    def _use(request, language):
        translation.activate(language)
        request.LANGUAGE_CODE = language

    def process_response(self, request, response):
        response = super().process_response(request, response)
        patch_vary_headers(response, ("Cookie",))
        return response


# French newsrooms abbreviate January and February “janv.” and “févr.”, where Django's
# catalog has “jan.” and “fév.”: our catalogs come first (LOCALE_PATHS) for these two.
MONTH_ABBREVIATIONS = [pgettext_lazy("abbrev. month", "Jan."), pgettext_lazy("abbrev. month", "Feb.")]


def reader_format(name):
    """The active language's READER_<name>_FORMAT (config/formats/<lang>/formats.py), English's when it has none.

    Django's get_format() only knows its own format names, so ours are read off the same modules.
    """
    return _reader_format(translation.get_language() or settings.LANGUAGE_CODE, name)


@functools.cache
def _reader_format(language, name):
    attribute = f"READER_{name}_FORMAT"
    for code in (language, settings.LANGUAGE_CODE):
        for module in iter_format_modules(code):
            if hasattr(module, attribute):
                return getattr(module, attribute)
    raise LookupError(attribute)


def format_reader_date(value, name="DAY"):
    """`value` in the active language's reader format `name`: DAY, MONTH, LONG_DAY, LONG_MONTH or DATETIME."""
    return dateformat.format(value, reader_format(name))
