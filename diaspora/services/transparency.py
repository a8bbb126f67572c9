"""How matching works, said from the engine's live configuration: the public page reads every
figure here, so it cannot drift from what the engine does.

The hard constraints and factors are the engine's own lists (`matching.CONSTRAINTS`,
`matching.FACTORS`); their weights are those in force (`weight_sets`: a weight set an admin
adopted, else the configuration's) and the fair-exposure settings the configuration's; the
measured quality is the file `bench/quality.py --record` writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from diaspora import wording
from diaspora.i18n import N_
from diaspora.matching import CONSTRAINTS, ENGINE_VERSION, FACTORS, Exposure
from diaspora.matching.constraints import MIN_LANGUAGE_RANK
from diaspora.matching.inputs import CEFR_ORDER
from diaspora.services import contests, weight_sets
from diaspora.services.engine_inputs import exposure

QUALITY_FILE = Path(__file__).resolve().parents[1] / "matching" / "measured_quality.json"

# One sentence per hard constraint (`matching.CONSTRAINTS`), said in the reader's language.
CONSTRAINT_SENTENCES = {
    "consent": N_("The expert agreed to be suggested by the matching engine."),
    "recently_confirmed": N_("The expert confirmed their profile in the last twelve months."),
    "language": N_(
        "The expert speaks one of the project's working languages at level %(level)s or better."
    ),
    "mode": N_(
        "The expert accepts the project's way of working (a hybrid project needs both remote "
        "work and short missions in Morocco)."
    ),
    "capacity": N_(
        "The expert's hours left each month (offered, minus those already committed to accepted "
        "work) are not far below what the project needs; a small shortfall only lowers the score."
    ),
    "start_date": N_(
        "The expert is available by the project's start date, unless the project accepts a later "
        "start."
    ),
    "not_excluded": N_(
        "The expert was not already invited to the project, and did not decline it before."
    ),
}

# What each factor (`matching.FACTORS`) measures, in a sentence.
FACTOR_SENTENCES = {
    "required_skills": N_(
        "How well the expert's skills cover the skills the project requires, at the level "
        "asked; a related skill earns part of the credit, and rare skills count more."
    ),
    "nice_skills": N_("The same, for the skills the project would like but does not require."),
    "text": N_("How close in meaning the expert's biography is to the project's description."),
    "sector": N_("Whether the expert listed the project's sector among their interests."),
    "hours": N_(
        "The share of the project's monthly hours the expert can still give, once the hours "
        "already committed to accepted work are taken off."
    ),
    "timezone": N_(
        "For remote work, how much of the Moroccan working day falls in the expert's own day."
    ),
    "onsite": N_(
        "For work in Morocco with dates, how many days the expert will be in Morocco then, and "
        "how close to the project's city."
    ),
}


@dataclass(frozen=True)
class Factor:
    name: str
    label: str
    sentence: str
    percent: str  # the weight, e.g. "60" or "7.5"


@dataclass(frozen=True)
class Quality:
    """The ranking quality measured on the labelled set, and whether it measured the engine
    as it runs now (same version, same weights)."""

    ndcg_at_10: float
    precision_at_10: float
    violations: int
    measured_on: str
    command: str
    labelled_set: str
    current: bool


@dataclass(frozen=True)
class HowItWorks:
    constraints: list[str]
    factors: list[Factor]
    exposure: Exposure
    exposure_examples: list[tuple[int, str]]  # pending invitations, score lowered by (percent)
    engine: str
    weights_since: date | None
    weight_set: int | None  # the adopted weight set's number; None: the configuration's weights
    weight_set_ndcg: float | None  # its nDCG@10 on the labelled set, measured when it was learnt
    quality: Quality | None
    contests: contests.Figures
    contest_days: int


@cache
def _measured() -> dict | None:
    try:
        return json.loads(QUALITY_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def quality(live_weights: dict[str, float]) -> Quality | None:
    """The figures kept by `bench/quality.py --record`; None when the file is missing."""
    data = _measured()
    if data is None:
        return None
    same_weights = all(
        abs(data["weights"].get(f, -1) - live_weights[f]) < 1e-9 for f in live_weights
    )
    return Quality(
        ndcg_at_10=data["ndcg_at_10"],
        precision_at_10=data["precision_at_10"],
        violations=data["violations"],
        measured_on=data["measured_on"],
        command=data["command"],
        labelled_set=data["labelled_set"],
        current=same_weights and data["engine"] == ENGINE_VERSION,
    )


def weights_since(adopted: weight_sets.InForce) -> date | None:
    """The day the adopted weight set was adopted, else MATCH_WEIGHTS_SINCE as a date; None
    when it is not set or not a date."""
    if adopted.adopted_at is not None:
        return adopted.adopted_at.date()
    try:
        return date.fromisoformat(str(current_app.config.get("MATCH_WEIGHTS_SINCE") or ""))
    except ValueError:
        return None


def how_it_works() -> HowItWorks:
    """Everything the page "how matching works" says, from the live configuration."""
    adopted = weight_sets.in_force()
    live = adopted.weights.as_dict()
    fair = exposure()
    language_level = CEFR_ORDER[MIN_LANGUAGE_RANK]
    return HowItWorks(
        constraints=[_(CONSTRAINT_SENTENCES[name], level=language_level) for name in CONSTRAINTS],
        factors=[
            Factor(f, _(wording.FACTOR_LABELS[f]), _(FACTOR_SENTENCES[f]), wording.percent(live[f]))
            for f in FACTORS
        ],
        exposure=fair,
        exposure_examples=[
            (n, wording.percent(1 - fair.multiplier(n)))
            for n in range(fair.allowance + 1, fair.allowance + 4)
        ],
        engine=adopted.engine_version,
        weights_since=weights_since(adopted),
        weight_set=adopted.version,
        weight_set_ndcg=adopted.dev_ndcg,
        quality=quality(live),
        contests=contests.figures(),
        contest_days=contests.contest_days(),
    )
