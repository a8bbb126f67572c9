"""Skill taxonomy: ESCO concepts (EN/FR) plus our Arabic labels and abbreviations.

Pure Python: imports nothing from flask, sqlalchemy or diaspora.models.

    from diaspora.taxonomy import get_taxonomy
    tax = get_taxonomy()
    tax.normalise("vision par ordinateur")  # Normalised(concept_id=..., method="alias", ...)
"""

from .catalogue import ATTRIBUTION, Taxonomy, get_taxonomy
from .concepts import Completion, Concept, Normalised
from .folding import fold

__all__ = [
    "ATTRIBUTION",
    "Concept",
    "Normalised",
    "Completion",
    "Taxonomy",
    "fold",
    "get_taxonomy",
]
