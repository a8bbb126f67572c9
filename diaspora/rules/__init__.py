"""Rules about what people type, shared by every door (pages, services, the import).

Pure Python: nothing here imports Flask or SQLAlchemy, so the interchange format and the
services apply the very same rule.
"""
