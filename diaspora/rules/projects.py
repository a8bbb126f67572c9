"""Limits on a project's fields: the one copy read by the project form, the project service and
the import, so that every project the import accepts can be edited and saved by its members.

Ranges are inclusive ``(low, high)`` pairs. The numbers are far above real projects (the
matching dev set and the demo data ask at most 40 hours a month, 3 experts, 24 months) and low
enough that a larger value is a typo.
"""

# A full-time month is about 160 hours (4 weeks of 40); experts abroad give part of theirs.
HOURS_PER_MONTH = (1, 160)
# A cohort larger than 50 experts is a programme of several projects, not one project.
SEATS = (1, 50)
# Five years: longer commitments are renewed, not planned up front.
DURATION_MONTHS = (1, 60)

# Skills wanted by one project; real projects list up to 10. The form shows one row per skill.
MAX_SKILLS = 40

MAX_TITLE = 200  # a title is read in lists and e-mail subjects
MAX_DESCRIPTION = 20_000  # several pages of text
MAX_LOCATION = 120  # a city name with its region
