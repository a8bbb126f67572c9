"""Demo data for trying the platform: tables in ``data/*.json``, drawn from by ``generate``."""
