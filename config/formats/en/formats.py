"""ISO 8601 dates wherever Django formats one without being told how (the admin's
history, compare and list pages), matching the way editors type dates (2018-12-17)."""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1
