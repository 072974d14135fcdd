"""Readers' dates in German (timeline/dates.py): "1. Dez. 2018", "Dez. 2018", "1. Dezember 2018".

The admin stays in English (timeline/i18n.py); Django's own German formats serve everything else.
"""

READER_DAY_FORMAT = "j. N Y"
READER_MONTH_FORMAT = "N Y"
READER_LONG_DAY_FORMAT = "j. F Y"
READER_LONG_MONTH_FORMAT = "F Y"
READER_DATETIME_FORMAT = "j. N Y, H:i"
