"""Limits on an expert profile's fields: the one copy read by the profile form, the profile
service and the import, so that every profile the import accepts can be edited and saved by
its expert.

Ranges are inclusive ``(low, high)`` pairs.
"""

# A full-time month is about 160 hours (4 weeks of 40); the platform asks for part of it.
# The import also takes 0, which is what the pages store when the expert leaves it empty.
HOURS_PER_MONTH = (1, 160)
# A working life; more is a typo.
YEARS_EXPERIENCE = (0, 70)

MIN_SKILLS = 3  # fewer gives the matching too little to go on
MIN_BIO = 80  # characters: a sentence or two about what one does
MAX_LANGUAGES = 20
MAX_SKILLS = 50
MAX_BIO = 5000  # a long page; the dev set's longest bio has 135 characters
MAX_HEADLINE = 200  # shown on one line in lists
MAX_CITY = 120  # a city name with its region
