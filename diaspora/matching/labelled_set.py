"""A labelled set of experts and projects (shared/data/matching-dev) as the engine's inputs,
and the engine's ranking quality on it: nDCG@10 as shared/tools/score_matching.py computes it
(gain = grade, discount log2(rank + 1), averaged over every judged project).

Used by `bench/quality.py` and by `flask matching learn-weights`, which measures proposed
weights on it before an admin may adopt them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from .index import Index
from .inputs import Candidate, ProjectNeed, SkillSpace, Weights

TODAY = date(2026, 1, 1)  # imported profiles count as confirmed on import
MUST_NOT_RETURN = "must_not_return"

Normaliser = Callable[[list[str]], list[str]]  # skill names -> engine skill keys


@dataclass(frozen=True)
class LabelledSet:
    experts: list[dict]
    projects: list[dict]
    qrels: dict[str, dict[str, int]]  # project ref -> expert ref -> grade (2 fits, 1 partly)


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load(folder: Path) -> LabelledSet:
    """experts.jsonl, projects.jsonl and qrels.json of `folder` (OSError, ValueError when
    they cannot be read)."""
    qrels = json.loads((folder / "qrels.json").read_text(encoding="utf-8"))
    qrels.pop(MUST_NOT_RETURN, None)
    return LabelledSet(
        read_jsonl(folder / "experts.jsonl"), read_jsonl(folder / "projects.jsonl"), qrels
    )


def build_inputs(
    experts: list[dict],
    projects: list[dict],
    normalise: Normaliser,
    encoder: object | None,
) -> tuple[list[Candidate], list[ProjectNeed]]:
    """Interchange records -> engine inputs, the way the service layer does it."""
    expert_keys = normalise([s["name"] for e in experts for s in e["skills"]])
    project_keys = normalise([s["name"] for p in projects for s in p["skills"]])
    text_e = text_p = [None] * max(len(experts), len(projects))
    if encoder is not None:
        text_e = encoder.encode(
            [e.get("bio", "") + ". " + ", ".join(s["name"] for s in e["skills"]) for e in experts]
        )
        text_p = encoder.encode(
            [
                f"{p.get('title', '')}. {p.get('description', '')}. "
                + ", ".join(s["name"] for s in p["skills"])
                for p in projects
            ]
        )
    candidates, needs = [], []
    it = iter(expert_keys)
    for i, e in enumerate(experts):
        residence = e.get("residence", {})
        candidates.append(
            Candidate(
                id=e["ref"],
                ref=e["ref"],
                skills=tuple((next(it), int(s["level"])) for s in e["skills"]),
                languages={lang["code"]: lang["level"] for lang in e.get("languages", [])},
                modes=frozenset(e.get("modes", [])),
                sectors=frozenset(e.get("sectors", [])),
                hours_per_month=e.get("hours_per_month"),
                timezone=residence.get("timezone"),
                consent=bool(e.get("consent_matching", True)),
                confirmed_at=TODAY,
                country=residence.get("country", ""),
                text_vector=None if encoder is None else np.asarray(text_e[i]),
            )
        )
    it = iter(project_keys)
    for i, p in enumerate(projects):
        keyed = [(next(it), int(s["level"]), bool(s.get("required", True))) for s in p["skills"]]
        needs.append(
            ProjectNeed(
                id=p["ref"],
                ref=p["ref"],
                required=tuple((k, lv) for k, lv, req in keyed if req),
                nice=tuple((k, lv) for k, lv, req in keyed if not req),
                languages=tuple(p.get("languages", [])),
                mode=p.get("mode", "remote"),
                sector=p.get("sector"),
                hours_per_month=p.get("hours_per_month"),
                seats=int(p.get("seats", 1)),
                text_vector=None if encoder is None else np.asarray(text_p[i]),
            )
        )
    return candidates, needs


def _dcg(grades: list[int]) -> float:
    return sum(g / math.log2(rank + 1) for rank, g in enumerate(grades, 1))


def ndcg(ranked: Mapping[str, list[str]], qrels: Mapping[str, Mapping[str, int]], k=10) -> float:
    """Mean nDCG@k over every judged project (one with no ranking counts 0)."""
    total = 0.0
    for project, judged in qrels.items():
        ideal = _dcg(sorted(judged.values(), reverse=True)[:k])
        grades = [judged.get(e, 0) for e in ranked.get(project, [])[:k]]
        total += _dcg(grades) / ideal if ideal > 0 else 0.0
    return total / len(qrels) if qrels else 0.0


def ndcg_with(
    weights: Weights,
    candidates: list[Candidate],
    needs: list[ProjectNeed],
    space: SkillSpace,
    qrels: Mapping[str, Mapping[str, int]],
    k: int = 10,
) -> float:
    """nDCG@k of the engine's top k on the labelled set, with these weights."""
    index = Index.build(candidates, projects=needs, skill_space=space, weights=weights)
    results = index.rank_all(needs, k, today=TODAY)
    return ndcg({n.ref: [s.ref for s in results[n.id]] for n in needs}, qrels, k)
