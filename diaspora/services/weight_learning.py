"""Learning the factor weights from people's decisions, for `flask matching learn-weights`.

Which decisions, and how they combine (one label per decided pair):
- the expert's answer when there is one: accepted is a positive, declined a negative (the
  later and better-informed decision: it overrides the admin's approval before it);
- otherwise the admin's review: approved (invited, then maybe expired or closed) is a
  positive, rejected a negative.
Each pair's factor values are those of its stored explanation (what the admin and the expert
saw); a pair stored without them (an older record) is scored again by the engine from today's
data. The oldest decisions fit the weights; the newest (by the time of the deciding answer or
review) are held out to measure them. The result is written as a *proposed* weight set, with
its measurements: only an admin adopts it (`weight_reviews`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from diaspora.extensions import db
from diaspora.matching import FACTORS, Weights, labelled_set, learning
from diaspora.models import ExpertProfile, Match, MatchStatus, Project, WeightSet
from diaspora.services import weight_sets
from diaspora.services.engine_inputs import skill_key, skill_space
from diaspora.services.errors import DomainError
from diaspora.taxonomy import get_taxonomy

MIN_DECISIONS = 30
SPREAD = 0.5  # each weight stays within ±50 % of its configured value

S = MatchStatus
# status -> (positive, decided by the expert's answer rather than the admin's review)
LABELS = {
    S.ACCEPTED: (True, True),
    S.DECLINED: (False, True),
    S.INVITED: (True, False),
    S.EXPIRED: (True, False),
    S.CLOSED: (True, False),
    S.REJECTED: (False, False),
}

Say = Callable[[str], None]


class CannotLearn(DomainError):
    """Too few decisions, or a labelled set that cannot be read: nothing is written."""


@dataclass(frozen=True)
class Decision:
    at: datetime
    positive: bool
    factors: dict[str, float | None]


def _stored_factors(explanation: dict | None) -> dict[str, float | None] | None:
    parts = (explanation or {}).get("factors")
    if not parts:
        return None
    return {f: parts[f].get("value") for f in FACTORS if f in parts}


def _recomputed(project_id: int, expert_id: int | None) -> dict[str, float | None] | None:
    """The pair's factor values scored by the engine from today's data (an older record
    without them); None when the project or the expert is gone."""
    from diaspora.services.suggestions import explain_pair  # the engine's index, built once

    project = db.session.get(Project, project_id)
    expert = db.session.get(ExpertProfile, expert_id) if expert_id is not None else None
    if project is None or expert is None:
        return None
    return _stored_factors(explain_pair(project, expert)[1])


def decisions() -> list[Decision]:
    """Every decided pair with its label and factor values, oldest decision first. Rows are
    read in batches (explanations are a few KB each); pairs stored without factor values are
    scored again once the read is done."""
    rows = db.session.execute(
        select(
            Match.project_id,
            Match.expert_id,
            Match.status,
            Match.explanation,
            Match.reviewed_at,
            Match.answered_at,
            Match.updated_at,
        )
        .where(Match.status.in_(list(LABELS)))
        .execution_options(yield_per=1000)
    )
    found, older = [], []
    for row in rows:
        positive, by_expert = LABELS[row.status]
        at = (row.answered_at if by_expert else row.reviewed_at) or row.updated_at
        factors = _stored_factors(row.explanation)
        if factors is not None:
            found.append(Decision(at, positive, factors))
        else:
            older.append((at, positive, row.project_id, row.expert_id))
    for at, positive, project_id, expert_id in older:
        factors = _recomputed(project_id, expert_id)
        if factors is not None:
            found.append(Decision(at, positive, factors))
    return sorted(found, key=lambda d: d.at)


def _as_data(found: list[Decision]) -> learning.Decisions:
    return learning.Decisions.from_factors([d.factors for d in found], [d.positive for d in found])


def dev_ndcg(folder: Path, candidates: list[Weights]) -> list[float]:
    """nDCG@10 on the labelled set in `folder` with each of these weights, its skills placed
    in the taxonomy as the app places them (text vectors when MATCH_USE_TEXT)."""
    try:
        data = labelled_set.load(folder)
    except (OSError, ValueError, KeyError) as e:
        raise CannotLearn(f"Cannot read the labelled set in {folder}: {e}") from None
    tax = get_taxonomy()

    def normalise(names: list[str]) -> list[str]:
        return [
            skill_key(n.concept_id, name)
            for name, n in zip(names, tax.normalise_many(names), strict=True)
        ]

    encoder = tax.encoder if current_app.config["MATCH_USE_TEXT"] else None
    experts, needs = labelled_set.build_inputs(data.experts, data.projects, normalise, encoder)
    keys = {k for c in experts for k, _ in c.skills} | {
        k for n in needs for k, _ in (*n.required, *n.nice)
    }
    space = skill_space(keys)
    return [labelled_set.ndcg_with(w, experts, needs, space, data.qrels) for w in candidates]


def learn(folder: Path, holdout: float, command: str, say: Say) -> WeightSet:
    """Fit the weights to the decisions, measure them, and write them as a proposed set."""
    found = decisions()
    if len(found) < MIN_DECISIONS:
        raise CannotLearn(
            f"{len(found)} decisions recorded, at least {MIN_DECISIONS} are needed to learn "
            "the weights: nothing written."
        )
    held = max(1, round(len(found) * holdout))
    fit_part, held_part = _as_data(found[:-held]), _as_data(found[-held:])
    if fit_part.positive.all() or not fit_part.positive.any():
        raise CannotLearn(
            "The decisions used for fitting are all approvals or all refusals: nothing written."
        )
    say(f"{len(found)} decisions: fitting on the oldest {len(fit_part)}, holding out {held}")
    before = weight_sets.in_force().weights
    start = learning.as_vector(before.as_dict())
    low, high = learning.bounds(learning.as_vector(weight_sets.configured().as_dict()), SPREAD)
    fitted = learning.fit(
        fit_part,
        start,
        low,
        high,
        lambda step, loss: say(f"step {step}/{learning.STEPS}: loss {loss:.4f}"),
    )
    after = Weights(**learning.as_mapping(fitted))
    say(f"measuring nDCG@10 on the labelled set {folder}")
    dev_before, dev_after = dev_ndcg(folder, [before, after])

    def auc(weights: Weights, part: learning.Decisions) -> float | None:
        return learning.auc(
            learning.scores(learning.as_vector(weights.as_dict()), part), part.positive
        )

    measurements = {
        "decisions": len(found),
        "fitted_on": len(fit_part),
        "held_out": held,
        "held_out_auc": {"before": auc(before, held_part), "after": auc(after, held_part)},
        "fit_auc": {"before": auc(before, fit_part), "after": auc(after, fit_part)},
        "dev_ndcg_at_10": {"before": round(dev_before, 4), "after": round(dev_after, 4)},
        "weights_before": before.as_dict(),
        "labelled_set": str(folder),
        "bounds": f"each weight within ±{SPREAD:.0%} of MATCH_WEIGHTS",
    }
    version = (db.session.scalar(select(func.max(WeightSet.version))) or 0) + 1
    proposed = WeightSet(
        version=version,
        weights=after.as_dict(),
        measurements=measurements,
        created_by=command[:128],
    )
    db.session.add(proposed)
    db.session.commit()
    return proposed
