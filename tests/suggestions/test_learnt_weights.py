"""Weights learnt from reviewers' decisions: proposed by a command, adopted only by an admin,
then used, recorded and shown everywhere the weights are."""

import json
from datetime import timedelta

import pytest

from diaspora.extensions import db
from diaspora.matching import ENGINE_VERSION, FACTORS, Weights
from diaspora.models import AuditEntry, Match, MatchStatus, Role, WeightSet
from diaspora.models.base import utcnow
from diaspora.services import engine_inputs, suggestions, weight_learning, weight_sets

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

DEFAULTS = Weights().as_dict()
# More weight on the required skills, less on the text: within ±50 % of each default.
LEARNT = {**DEFAULTS, "required_skills": 0.62, "text": 0.05, "sector": 0.025, "hours": 0.025}


def decide(target, count):
    """`count` decided pairs, one an hour: approvals cover the required skills, refusals have
    the closer biographies (erased experts: the decisions outlive them)."""
    start = utcnow() - timedelta(days=30)
    statuses = [MatchStatus.ACCEPTED, MatchStatus.REJECTED, MatchStatus.INVITED, "declined"]
    for i in range(count):
        status = statuses[i % 4]
        good = status in (MatchStatus.ACCEPTED, MatchStatus.INVITED)
        values = {f: 0.5 for f in FACTORS}
        values["required_skills"] = 0.7 + (i % 3) / 10 if good else 0.3 + (i % 3) / 10
        values["text"] = 0.2 if good else 0.8
        values["onsite"] = None
        at = start + timedelta(hours=i)
        db.session.add(
            Match(
                project_id=target.id,
                expert_id=None,
                status=status,
                explanation={
                    "factors": {
                        f: {"value": v, "weight": 0.1, "contribution": 0.0}
                        for f, v in values.items()
                    }
                },
                engine_version=ENGINE_VERSION,
                weights=DEFAULTS,
                reviewed_at=at,
                answered_at=at + timedelta(minutes=30)
                if status in ("accepted", "declined")
                else None,
            )
        )
    db.session.commit()


@pytest.fixture
def labelled(tmp_path):
    """A labelled set of three experts and one project, in the interchange format."""
    folder = tmp_path / "labelled"
    folder.mkdir()

    def expert(ref, skills):
        return {
            "ref": ref,
            "skills": [{"name": n, "level": 4} for n in skills],
            "languages": [{"code": "fr", "level": "C1"}],
            "modes": ["remote"],
            "hours_per_month": 10,
            "residence": {"country": "FR", "timezone": "Europe/Paris"},
        }

    experts = [
        expert("E-A", ["machine learning", "computer vision"]),
        expert("E-B", ["machine learning"]),
        expert("E-C", ["Python"]),
    ]
    need = {
        "ref": "P-A",
        "title": "Vision",
        "skills": [
            {"name": "computer vision", "level": 3, "required": True},
            {"name": "machine learning", "level": 3, "required": True},
        ],
        "languages": ["fr"],
        "mode": "remote",
        "hours_per_month": 8,
    }
    (folder / "experts.jsonl").write_text("\n".join(json.dumps(e) for e in experts) + "\n")
    (folder / "projects.jsonl").write_text(json.dumps(need) + "\n")
    (folder / "qrels.json").write_text(json.dumps({"P-A": {"E-A": 2, "E-B": 1}}))
    return folder


def test_learning_proposes_bounded_weights_with_their_measurements(app, runner, project, labelled):
    decide(project, 40)
    result = runner.invoke(
        args=["matching", "learn-weights", "--labelled-set", str(labelled), "--holdout", "0.2"]
    )
    assert result.exit_code == 0, result.output
    assert "40 decisions: fitting on the oldest 32, holding out 8" in result.output
    assert "step 300/300" in result.output
    assert "held-out AUC (8 decisions)" in result.output and "dev nDCG@10" in result.output
    assert "Weight set 1 proposed" in result.output
    [proposed] = WeightSet.query.all()
    assert proposed.status == "proposed" and proposed.version == 1
    learnt = proposed.weights
    assert all(0.5 * DEFAULTS[f] - 1e-3 <= learnt[f] <= 1.5 * DEFAULTS[f] + 1e-3 for f in FACTORS)
    assert learnt["required_skills"] > DEFAULTS["required_skills"]
    assert learnt["text"] < DEFAULTS["text"]
    measured = proposed.measurements
    assert measured["held_out_auc"]["after"] >= measured["held_out_auc"]["before"]
    assert measured["dev_ndcg_at_10"]["before"] > 0.9  # E-A then E-B: the ideal order
    assert measured["weights_before"] == DEFAULTS
    assert engine_inputs.weights().as_dict() == DEFAULTS  # proposed, never adopted


def test_an_older_decision_without_factor_values_is_scored_from_todays_data(
    app, project, make_expert
):
    decide(project, 2)  # an acceptance at the start, then a rejection an hour later
    expert = make_expert("E-OLD", [("machine learning", 4)])
    at = utcnow() - timedelta(days=30, minutes=30)  # decided before both
    for expert_id in (expert.id, None):  # the second expert has since been erased
        db.session.add(
            Match(
                project_id=project.id,
                expert_id=expert_id,
                status=MatchStatus.ACCEPTED,
                engine_version=ENGINE_VERSION,
                weights=DEFAULTS,
                reviewed_at=at,
                answered_at=at,
            )
        )
    db.session.commit()
    found = weight_learning.decisions()
    assert [d.positive for d in found] == [True, True, False]  # oldest first; the erased left out
    today = suggestions.explain_pair(project, expert)[1]["factors"]
    assert found[0].factors == {f: today[f]["value"] for f in FACTORS if f in today}


def test_too_few_decisions_are_refused_and_nothing_is_written(app, runner, project, labelled):
    decide(project, 12)
    result = runner.invoke(args=["matching", "learn-weights", "--labelled-set", str(labelled)])
    assert result.exit_code != 0
    assert "12 decisions recorded, at least 30 are needed" in result.output
    assert WeightSet.query.count() == 0


def propose(version=1, weights=None, before=0.90, after=0.92):
    weight_set = WeightSet(
        version=version,
        weights=weights or LEARNT,
        measurements={
            "decisions": 40,
            "fitted_on": 32,
            "held_out": 8,
            "held_out_auc": {"before": 0.7, "after": 0.8},
            "fit_auc": {"before": 0.7, "after": 0.85},
            "dev_ndcg_at_10": {"before": before, "after": after},
            "weights_before": engine_inputs.weights().as_dict(),
        },
        created_by="flask matching learn-weights",
    )
    db.session.add(weight_set)
    db.session.commit()
    return weight_set


@pytest.fixture
def admin(make_user, auth):
    user = make_user("admin@diaspora.ma", role=Role.ADMIN)
    auth.login(user.email)
    return user


def test_adopting_a_set_changes_the_weights_used_recorded_and_shown(
    app,
    client,
    runner,
    admin,
    project,
    make_expert,
):
    make_expert("E-1", [("computer vision", 4), ("machine learning", 4)])  # no Python
    suggestions.refresh_project(project.id)
    [match] = Match.query.filter_by(status=MatchStatus.SUGGESTED).all()
    earlier_score = match.score
    page = client.get("/admin/weights").get_data(as_text=True)
    assert "Weight set 1" not in page and "No weight set yet" in page
    propose()
    page = client.get("/admin/weights").get_data(as_text=True)
    assert "Weight set 1" in page and "54 %" in page and "62 %" in page and "+8.0" in page

    response = client.post("/admin/weights/1/adopt", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Weight set 1 is now in force." in page
    assert "The outbox worker will rescore the stored suggestions with it." in page
    assert "A rescoring of every open project is waiting for the outbox worker." in page
    assert "the stored suggestions keep their earlier scores" in page
    assert db.session.get(WeightSet, 1).status == "adopted"
    assert engine_inputs.engine_version() == f"{ENGINE_VERSION}/w1"
    [entry] = AuditEntry.query.filter_by(action="weights.adopted").all()
    assert entry.actor_id == admin.id and entry.details["weights"] == LEARNT
    # Until the outbox worker has run, the stored suggestion keeps its score and weights.
    db.session.expire_all()
    [match] = Match.query.filter_by(status=MatchStatus.SUGGESTED).all()
    assert match.engine_version == ENGINE_VERSION and match.weights == DEFAULTS
    assert match.score == earlier_score

    assert "rescored 1 open projects" in runner.invoke(args=["outbox", "send"]).output
    # The stored suggestions were rescored with the new weights, and say so.
    db.session.expire_all()
    [match] = Match.query.filter_by(status=MatchStatus.SUGGESTED).all()
    assert match.score != earlier_score
    assert match.engine_version == f"{ENGINE_VERSION}/w1"
    assert match.weights == LEARNT and match.explanation["weights"] == LEARNT
    public = client.get("/how-matching-works").get_data(as_text=True)
    assert "Weights last changed on" in public and "weight set 1" in public
    assert f"{ENGINE_VERSION}/w1" in public and "62 %" in public
    page = client.get("/admin/weights").get_data(as_text=True)
    assert "The outbox worker last finished rescoring every open project at" in page
    assert "keep their earlier scores" not in page
    # The recorded measurement was made with other weights: the set's own figure is given.
    assert "same labelled set gives 0.920 on nDCG@10" in public

    # Adopting again changes nothing.
    response = client.post("/admin/weights/1/adopt", follow_redirects=True)
    assert "Nothing to change" in response.get_data(as_text=True)
    assert AuditEntry.query.filter_by(action="weights.adopted").count() == 1


def test_a_later_adoption_supersedes_the_earlier_one(app, client, admin):
    propose()
    client.post("/admin/weights/1/adopt")
    propose(version=2, weights=DEFAULTS, before=0.92, after=0.92)
    client.post("/admin/weights/2/adopt")
    assert [s.status for s in WeightSet.query.order_by(WeightSet.version)] == [
        "superseded",
        "adopted",
    ]
    assert engine_inputs.engine_version() == f"{ENGINE_VERSION}/w2"


def test_a_set_that_lowers_dev_ndcg_is_refused(app, client, admin):
    propose(before=0.92, after=0.88)
    page = client.post("/admin/weights/1/adopt", follow_redirects=True).get_data(as_text=True)
    assert "lowers nDCG@10 on the labelled dev set (0.920, then 0.880)" in page
    assert db.session.get(WeightSet, 1).status == "proposed"
    assert AuditEntry.query.filter_by(action="weights.adopted").count() == 0
    assert engine_inputs.weights().as_dict() == DEFAULTS


def test_refusing_a_set_keeps_the_weights_in_force(app, client, admin):
    propose()
    page = client.post("/admin/weights/1/refuse", follow_redirects=True).get_data(as_text=True)
    assert "Weight set 1 is refused." in page
    assert db.session.get(WeightSet, 1).status == "refused"
    assert AuditEntry.query.filter_by(action="weights.refused").count() == 1
    page = client.post("/admin/weights/1/adopt", follow_redirects=True).get_data(as_text=True)
    assert "Only a proposed weight set can be adopted." in page


def test_only_admins_see_or_adopt_weight_sets(app, client, auth, make_user):
    propose()
    auth.login(make_user("salma@example.org", role=Role.EXPERT).email)
    assert client.get("/admin/weights").status_code == 403
    assert client.post("/admin/weights/1/adopt").status_code == 403
    assert db.session.get(WeightSet, 1).status == "proposed"


def test_a_set_measured_against_weights_no_longer_in_force_is_refused(app, client, admin):
    propose()
    propose(version=2, weights=DEFAULTS)  # measured, like set 1, against the defaults
    client.post("/admin/weights/1/adopt")
    page = client.post("/admin/weights/2/adopt", follow_redirects=True).get_data(as_text=True)
    assert "measured against other weights than those in force now" in page
    assert db.session.get(WeightSet, 2).status == "proposed"
    assert engine_inputs.engine_version() == f"{ENGINE_VERSION}/w1"


def test_an_adopted_set_that_does_not_fit_the_engine_is_not_used(app, client, admin):
    # Learnt before the engine gained a factor: ranking goes on with the configured weights.
    propose(weights={f: w for f, w in LEARNT.items() if f != "text"})
    client.post("/admin/weights/1/adopt")
    WeightSet.query.one().status = "adopted"
    db.session.commit()
    weight_sets.forget()
    assert engine_inputs.weights() == Weights()
    assert engine_inputs.engine_version() == ENGINE_VERSION
    assert client.get("/how-matching-works").status_code == 200
