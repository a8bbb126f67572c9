"""Rescoring one expert after a profile change stores what ranking every open project again
would store: the expert enters, moves within or leaves each project's top K, and whoever the
expert makes room for takes the place."""

import pytest

from diaspora.extensions import db
from diaspora.models import ExpertSkill, Match, MatchStatus
from diaspora.services import suggestions
from tests.suggestions.test_rescoring_queries import expert, open_projects

pytestmark = [pytest.mark.config(MATCH_USE_TEXT=False, MATCH_TOP_K=2)]

# Each change applied to the expert of level 3 among experts of levels 1 to 5 (K = 2).
CHANGES = {
    "rises into the top": {"level": 5},
    "moves within the top": {"level": 4},
    "stays out": {"level": 2},
    "falls out of the top": {"level": 1},
    "objects to matching": {"consent": False},
}


def stored() -> dict[int, list[tuple[int, float]]]:
    """Per project, its waiting suggestions (expert, score), best first."""
    found: dict[int, list[tuple[int, float]]] = {}
    for match in Match.query.filter_by(status=MatchStatus.SUGGESTED).order_by(
        Match.project_id, Match.rank
    ):
        found.setdefault(match.project_id, []).append((match.expert_id, round(match.score, 4)))
    return found


def change(profile, level=None, consent=None):
    if level is not None:
        profile.skills = [ExpertSkill(name="machine learning", level=level)]
    if consent is not None:
        profile.consent_matching = consent
    db.session.commit()


@pytest.mark.parametrize("start", [3, 5], ids=["from the middle", "from the top"])
@pytest.mark.parametrize("new", list(CHANGES.values()), ids=list(CHANGES))
def test_rescoring_one_expert_stores_what_ranking_again_would(
    app, make_user, make_institution, start, new
):
    institution = make_institution()
    levels = [1, 2, 4, 5] if start == 3 else [1, 2, 3, 4]
    for n, level in enumerate(levels):
        expert(make_user, f"E-{n}", level=level)
    profile = expert(make_user, "E-X", level=start)
    open_projects(institution, 3, level=5)  # each level scores differently
    suggestions.recompute_all()
    change(profile, **new)

    suggestions.refresh_expert(profile.id)
    after_one = stored()
    suggestions.recompute_all()
    assert after_one == stored()


def test_an_expert_already_invited_to_a_project_is_left_there(app, make_user, make_institution):
    institution = make_institution()
    for n, level in enumerate([2, 3, 4]):
        expert(make_user, f"E-{n}", level=level)
    profile = expert(make_user, "E-X", level=5)
    open_projects(institution, 2, level=5)
    suggestions.recompute_all()
    invited = Match.query.filter_by(expert_id=profile.id).first()
    invited.status = MatchStatus.INVITED
    db.session.commit()
    suggestions.recompute_all()  # the next expert takes the invited one's place in the queue
    change(profile, level=1)

    suggestions.refresh_expert(profile.id)
    assert db.session.get(Match, invited.id).status == MatchStatus.INVITED
    after_one = stored()
    suggestions.recompute_all()
    assert after_one == stored()
