"""ISO 8601 dates wherever Django formats one without being told how (the admin's
history, compare and list pages), matching the way editors type dates (2018-12-17)."""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1

# Readers' dates (timeline/dates.py): "1 Dec 2018", "Dec 2018", "1 December 2018", "December 2018".
READER_DAY_FORMAT = "j M Y"
READER_MONTH_FORMAT = "M Y"
READER_LONG_DAY_FORMAT = "j F Y"
READER_LONG_MONTH_FORMAT = "F Y"
READER_DATETIME_FORMAT = "j M Y, H:i"
