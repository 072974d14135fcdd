"""Readers' dates in French (timeline/dates.py): "1 déc. 2018", "déc. 2018", "1 décembre 2018".

The admin stays in English (timeline/i18n.py); Django's own French formats serve everything else.
"""

READER_DAY_FORMAT = "j N Y"
READER_MONTH_FORMAT = "N Y"
READER_LONG_DAY_FORMAT = "j F Y"
READER_LONG_MONTH_FORMAT = "F Y"
READER_DATETIME_FORMAT = "j N Y, H:i"
