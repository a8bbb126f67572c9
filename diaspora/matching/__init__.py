"""The matching engine: pure Python + numpy/scipy, plain values in and out.

Typical use by the service layer::

    index = Index.build(candidates, projects=all_projects, skill_space=space,
                        weights=Weights.from_mapping(config["MATCH_WEIGHTS"]))
    suggestions = index.rank(project, top_k=10, today=date.today())
    proposal = allocate(open_projects, index.rank_all(open_projects, 20, today=today),
                        {c.id: c.hours_per_month for c in candidates})
"""

from .allocation import Allocation, allocate
from .constraints import CONSTRAINTS
from .explain import ENGINE_VERSION, Explanation
from .factors import FACTORS
from .index import Index
from .inputs import (
    Candidate,
    CandidateId,
    Exposure,
    ProjectNeed,
    RankedCandidate,
    SkillSpace,
    Weights,
)

__all__ = [
    "CONSTRAINTS",
    "ENGINE_VERSION",
    "FACTORS",
    "Allocation",
    "Candidate",
    "CandidateId",
    "Explanation",
    "Exposure",
    "Index",
    "ProjectNeed",
    "SkillSpace",
    "RankedCandidate",
    "Weights",
    "allocate",
]
