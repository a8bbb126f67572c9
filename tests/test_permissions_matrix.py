"""Who gets what from every route: a role x route x ownership matrix.

Every route of the app (read from the URL map, so a new route fails here until it has a row) is
requested by every role, on objects that belong to the "expert" and the "member" roles and not
to the others: a draft project of the member's institution, the expert's profile and the
expert's approved invitation. POST-only routes get an empty form (CSRF is off in tests): what
is checked is who gets past the door, not what the form does.
"""

import pytest

from diaspora.extensions import db
from diaspora.models import (
    User,
)
from diaspora.services import accounts

ROLES = ("guest", "expert", "other expert", "member", "other member", "unverified member", "admin")

# endpoint: the status each role gets, in the order of ROLES. Objects: the member's
# institution's draft project, the expert's profile and approved invitation (see `world`).
# A table reads best aligned.
# fmt: off
MATRIX = {
    #                               guest expert other member other unverified admin
    #                                                 expert        member  member
    "admin.allocation":              (302, 403, 403, 403, 403, 403, 200),
    "admin.allocation_apply":        (302, 403, 403, 403, 403, 403, 302),
    "admin.audit_log":               (302, 403, 403, 403, 403, 403, 200),
    "admin.exposure":                (302, 403, 403, 403, 403, 403, 200),
    "admin.imports":                 (302, 403, 403, 403, 403, 403, 200),
    "admin.index":                   (302, 403, 403, 403, 403, 403, 200),
    "admin.insights":                (302, 403, 403, 403, 403, 403, 200),
    "admin.institution_letter":      (302, 403, 403, 403, 403, 403, 404),
    "admin.institution_refuse":      (302, 403, 403, 403, 403, 403, 302),
    "admin.institution_revoke":      (302, 403, 403, 403, 403, 403, 302),
    "admin.institution_verify":      (302, 403, 403, 403, 403, 403, 302),
    "admin.institutions_list":       (302, 403, 403, 403, 403, 403, 200),
    "admin.mail_list":               (302, 403, 403, 403, 403, 403, 200),
    "admin.mail_show":               (302, 403, 403, 403, 403, 403, 200),
    "admin.weights":                 (302, 403, 403, 403, 403, 403, 200),
    # No weight set 1 in this world: the admin is told so.
    "admin.weights_adopt":           (302, 403, 403, 403, 403, 403, 404),
    "admin.weights_refuse":          (302, 403, 403, 403, 403, 403, 404),
    # The JSON API v1 opens with a personal access token only: a session cookie gets a 401.
    "api-docs.openapi_json":         (200, 200, 200, 200, 200, 200, 200),
    "api_docs.asset":                (200, 200, 200, 200, 200, 200, 200),
    "api_docs.docs":                 (200, 200, 200, 200, 200, 200, 200),
    "api_collaborations.cancel_collaboration":   (401, 401, 401, 401, 401, 401, 401),
    "api_collaborations.complete_collaboration": (401, 401, 401, 401, 401, 401, 401),
    "api_me.accept_invitation":      (401, 401, 401, 401, 401, 401, 401),
    "api_me.decline_invitation":     (401, 401, 401, 401, 401, 401, 401),
    "api_me.get_profile":            (401, 401, 401, 401, 401, 401, 401),
    "api_me.list_invitations":       (401, 401, 401, 401, 401, 401, 401),
    "api_me.update_profile":         (405, 405, 405, 405, 405, 405, 405),
    "api_opportunities.express_interest": (401, 401, 401, 401, 401, 401, 401),
    "api_opportunities.list_projects":    (401, 401, 401, 401, 401, 401, 401),
    "api_projects.close_project":    (401, 401, 401, 401, 401, 401, 401),
    "api_projects.create_project":   (401, 401, 401, 401, 401, 401, 401),
    "api_projects.get_pipeline":     (401, 401, 401, 401, 401, 401, 401),
    "api_projects.get_project":      (401, 401, 401, 401, 401, 401, 401),
    "api_projects.list_pipelines":   (401, 401, 401, 401, 401, 401, 401),
    "api_projects.list_projects":    (401, 401, 401, 401, 401, 401, 401),
    "api_projects.publish_project":  (401, 401, 401, 401, 401, 401, 401),
    "api_projects.update_project":   (405, 405, 405, 405, 405, 405, 405),
    "api_search.search_experts":     (401, 401, 401, 401, 401, 401, 401),
    "api_review.approve":            (401, 401, 401, 401, 401, 401, 401),
    "api_review.queue":              (401, 401, 401, 401, 401, 401, 401),
    "api_review.reject":             (401, 401, 401, 401, 401, 401, 401),
    "api_taxonomy.concept":          (401, 401, 401, 401, 401, 401, 401),
    "api_taxonomy.search":           (401, 401, 401, 401, 401, 401, 401),
    "api.skills":                    (200, 200, 200, 200, 200, 200, 200),
    # Collaborations: both sides and admins see one (the expert's, not started, on the member's
    # ongoing project); each side acts on its own part. Empty forms get 400 from those who may
    # act, 404 from those who may not see it.
    "collaborations.cancel":        (302, 400, 404, 400, 404, 404, 403),
    "collaborations.certificate":   (404, 404, 404, 404, 404, 404, 404),
    "collaborations.certificate_pdf": (302, 404, 404, 403, 403, 403, 403),
    "collaborations.complete":      (302, 403, 403, 400, 404, 404, 403),
    "collaborations.log_hours":     (302, 400, 404, 403, 403, 403, 403),
    "collaborations.rate":          (302, 400, 404, 400, 404, 404, 403),
    "collaborations.report":        (302, 403, 403, 403, 403, 403, 200),
    "collaborations.report_csv":    (302, 403, 403, 403, 403, 403, 200),
    "collaborations.review_hours":  (302, 403, 403, 404, 404, 404, 403),
    "collaborations.show":          (302, 200, 404, 200, 404, 404, 200),
    "collaborations.start":         (302, 403, 403, 400, 404, 404, 403),
    "collaborations.verify":        (200, 200, 200, 200, 200, 200, 200),
    # Contests: the expert's request about their invitation. Its person and admins read it;
    # asking again sends the expert to it; the member, who may contest the same invitation,
    # reads that a review is already asked for; admins answer and never ask.
    "contests.case":                 (302, 403, 403, 403, 403, 403, 200),
    "contests.mine":                 (302, 200, 200, 200, 200, 200, 200),
    "contests.new":                  (302, 302, 404, 200, 404, 404, 200),
    "contests.queue":                (302, 403, 403, 403, 403, 403, 200),
    "contests.show":                 (302, 200, 404, 404, 404, 404, 200),
    "transparency.how_matching_works": (200, 200, 200, 200, 200, 200, 200),
    "auth.account":                  (302, 200, 200, 200, 200, 200, 200),
    "auth.check_email":              (200, 200, 200, 200, 200, 200, 200),
    "auth.login":                    (200, 302, 302, 302, 302, 302, 302),
    "auth.logout":                   (302, 302, 302, 302, 302, 302, 302),
    "auth.resend_verification":      (302, 302, 302, 302, 302, 302, 302),
    "auth.revoke_token":             (302, 302, 302, 302, 302, 302, 302),
    "auth.reset_password":           (400, 400, 400, 400, 400, 400, 400),
    "auth.reset_request":            (200, 200, 200, 200, 200, 200, 200),
    "auth.signup":                   (200, 200, 200, 200, 200, 200, 200),
    "auth.signup_expert":            (200, 200, 200, 200, 200, 200, 200),
    "auth.signup_institution":       (200, 200, 200, 200, 200, 200, 200),
    "auth.verify_email":             (400, 400, 400, 400, 400, 400, 400),
    "experts.confirm":               (302, 302, 302, 403, 403, 403, 403),
    # The expert attached a CV (tests/worlds.py); the other expert did not.
    "experts.cv_confirm":            (302, 200, 200, 403, 403, 403, 403),
    "experts.cv_download":           (302, 200, 404, 403, 403, 403, 403),
    # Members get it once the expert accepted one of their projects (contact details): the
    # expert said yes to the member's ongoing project, not to the other members'.
    "experts.cv_of":                 (302, 200, 403, 200, 403, 403, 200),
    "experts.cv_remove":             (302, 302, 302, 403, 403, 403, 403),
    "experts.cv_upload":             (302, 200, 200, 403, 403, 403, 403),
    "experts.data":                  (302, 200, 200, 403, 403, 403, 403),
    "experts.edit":                  (302, 200, 200, 403, 403, 403, 403),
    "experts.export":                (302, 200, 200, 403, 403, 403, 403),
    "experts.profile":               (302, 200, 200, 403, 403, 403, 403),
    "experts.show":                  (302, 200, 403, 200, 200, 403, 200),
    # Stays in Morocco: an empty form is refused (422); another expert's stay is not found.
    "experts.stay_add":              (302, 422, 422, 403, 403, 403, 403),
    "experts.stay_delete":           (302, 302, 404, 403, 403, 403, 403),
    "experts.stay_update":           (302, 422, 404, 403, 403, 403, 403),
    "experts.stays":                 (302, 200, 200, 403, 403, 403, 403),
    # Institutions: the member manages their own (user_id is the member: handing on to or
    # removing oneself is refused with a message); the other members manage theirs only.
    "institutions.choose_acting":    (302, 403, 403, 302, 302, 302, 403),
    "institutions.hand_on":          (302, 403, 403, 302, 403, 403, 403),
    "institutions.invite":           (302, 403, 403, 400, 403, 403, 403),
    "institutions.join":             (400, 400, 400, 400, 400, 400, 400),
    "institutions.leave":            (302, 403, 403, 302, 404, 404, 403),
    "institutions.members":          (302, 403, 403, 200, 403, 403, 200),
    "institutions.new":              (302, 403, 403, 200, 200, 200, 403),
    "institutions.remove_member":    (302, 403, 403, 302, 403, 403, 403),
    "institutions.revoke_invitation": (302, 403, 403, 404, 403, 403, 403),
    # Reconfirmation by a signed link (no log-in): a junk token is refused for everyone.
    "experts.reconfirm":             (400, 400, 400, 400, 400, 400, 400),
    "experts.reconfirm_confirm":     (400, 400, 400, 400, 400, 400, 400),
    "experts.accept_consent":        (302, 302, 302, 403, 403, 403, 403),
    "experts.consent_text":          (302, 302, 302, 403, 403, 403, 403),
    # Notifications: everyone signed in has their own; another's (or none) is not found.
    "notification_centre.index":     (302, 200, 200, 200, 200, 200, 200),
    "notification_centre.mark_all_read": (302, 302, 302, 302, 302, 302, 302),
    "notification_centre.open_one":  (302, 404, 404, 404, 404, 404, 404),
    "notification_centre.preferences": (302, 302, 302, 302, 302, 302, 302),
    "main.about":                    (200, 200, 200, 200, 200, 200, 200),
    "main.accessibility":            (200, 200, 200, 200, 200, 200, 200),
    "main.contact":                  (200, 200, 200, 200, 200, 200, 200),
    "main.dashboard":                (302, 200, 200, 200, 200, 200, 302),
    "main.index":                    (200, 200, 200, 200, 200, 200, 200),
    "main.my_data":                  (302, 200, 200, 200, 200, 200, 403),
    "main.my_data_export":           (302, 200, 200, 200, 200, 200, 403),
    "main.privacy":                  (200, 200, 200, 200, 200, 200, 200),
    "main.set_language":             (302, 302, 302, 302, 302, 302, 302),
    # Open statistics: anyone's, anonymous.
    "main.statistics":               (200, 200, 200, 200, 200, 200, 200),
    "main.statistics_csv":           (200, 200, 200, 200, 200, 200, 200),
    "main.terms":                    (200, 200, 200, 200, 200, 200, 200),
    # One-click unsubscribe: anyone holding the signed link; a forged one is refused.
    "main.unsubscribe":              (400, 400, 400, 400, 400, 400, 400),
    "main.unsubscribe_confirm":      (400, 400, 400, 400, 400, 400, 400),
    "invitations.accept":                (302, 302, 404, 403, 403, 403, 403),
    "review.add_expert":            (302, 403, 403, 403, 403, 403, 200),
    "review.approve":               (302, 403, 403, 403, 403, 403, 302),
    "review.bulk_approve":          (302, 403, 403, 403, 403, 403, 302),
    "invitations.decline":               (302, 302, 404, 403, 403, 403, 403),
    "invitations.expert_invitations":    (302, 200, 200, 403, 403, 403, 403),
    "invitations.institution_pipelines": (302, 403, 403, 200, 200, 200, 403),
    "invitations.invitation_accept":     (400, 400, 400, 400, 400, 400, 400),
    "invitations.invitation_decline":    (400, 400, 400, 400, 400, 400, 400),
    "invitations.project_pipeline":      (302, 403, 403, 200, 404, 404, 200),
    "review.reject":                (302, 403, 403, 403, 403, 403, 400),
    "review.review_queue":          (302, 403, 403, 403, 403, 403, 200),
    "invitations.show":                  (302, 200, 404, 200, 404, 404, 200),
    # Operations: alive and ready answer anyone (a load balancer); /metrics only the allow-list,
    # which holds the test client's 127.0.0.1 (tests/operations/test_metrics.py refuses others).
    # Projects for experts: their ranking, interest (in the member's draft: as absent) and
    # alerts are the experts'; the list of open projects is anyone's.
    "opportunities.alerts":          (302, 302, 302, 403, 403, 403, 403),
    "opportunities.for_me":          (302, 200, 200, 403, 403, 403, 403),
    "opportunities.interest":        (302, 404, 404, 403, 403, 403, 403),
    "opportunities.open_projects":   (200, 200, 200, 200, 200, 200, 200),
    "operations.healthz":            (200, 200, 200, 200, 200, 200, 200),
    "operations.prometheus":         (200, 200, 200, 200, 200, 200, 200),
    "operations.readyz":             (200, 200, 200, 200, 200, 200, 200),
    "projects.change_status":        (302, 404, 404, 302, 404, 404, 302),
    "projects.edit":                 (302, 404, 404, 200, 404, 404, 200),
    "projects.index":                (302, 403, 403, 200, 200, 200, 200),
    "projects.institution":          (302, 200, 200, 200, 200, 200, 200),
    "projects.new":                  (302, 403, 403, 200, 200, 200, 403),
    "projects.show":                 (302, 404, 404, 200, 404, 404, 200),
    # Searching experts: admins and members of verified institutions. Proposing one: members
    # only, of an expert a search finds (the expert's profile "E-1" is not confirmed: 404).
    "search.experts":                (302, 403, 403, 200, 200, 403, 200),
    "search.propose":                (302, 403, 403, 404, 404, 403, 403),
    # Saved searches: for those who may search; another person's (or none, here) is a 404.
    "search.saved":                  (302, 403, 403, 200, 200, 403, 200),
    "search.save":                   (302, 403, 403, 302, 302, 403, 302),
    "search.edit":                   (302, 403, 403, 404, 404, 403, 404),
    "search.delete":                 (302, 403, 403, 404, 404, 403, 404),
    "static":                        (200, 200, 200, 200, 200, 200, 200),
}
# fmt: on


@pytest.fixture
def world(every_role):
    """URL values by parameter name: the objects the expert and the member own; user ids."""
    values = {
        "project_id": every_role.draft.id,
        "institution_id": every_role.institution.id,
        "match_id": every_role.invitation.id,
        "ref": every_role.profile.ref,
        "message_id": every_role.message.id,
        "token": "not-a-token",
        "filename": "css/app.css",
        "asset": "swagger-ui.css",
        "concept_id": "diaspora:mlops",
        "collaboration_id": every_role.collaboration.id,
        "entry_id": 987654321,
        "code": "ABCD-EFGH-JKMN",
        "saved_id": 999,
        "notification_id": 987654321,
        "user_id": every_role.users["member"].id,
        "invitation_id": 1,
        "window_id": every_role.window.id,
        "key": "countries",
        "contest_id": every_role.contest.id,
        "version": 1,
    }
    return values, {role: user.id for role, user in every_role.users.items()}


def _routes(app):
    return sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint)


def _request(app, client, rule, values, user_id):
    with client.session_transaction() as session:
        session.clear()
        if user_id is not None:
            session["_user_id"] = accounts.start_session(db.session.get(User, user_id))
            session["_fresh"] = True
    db.session.rollback()
    with app.test_request_context():
        url = app.url_map.bind("localhost").build(
            rule.endpoint, {name: values[name] for name in rule.arguments}
        )
    method = "GET" if "GET" in rule.methods else "POST"
    return method, url, client.open(url, method=method).status_code


def test_every_route_has_a_row(app):
    endpoints = {rule.endpoint for rule in _routes(app)}
    assert sorted(endpoints - MATRIX.keys()) == [], "routes without a row in MATRIX"
    assert sorted(MATRIX.keys() - endpoints) == [], "rows in MATRIX for routes that are gone"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_status(app, client, world, endpoint, role):
    values, user_ids = world
    (rule,) = [r for r in _routes(app) if r.endpoint == endpoint]
    method, url, status = _request(app, client, rule, values, user_ids.get(role))
    expected = MATRIX[endpoint][ROLES.index(role)]
    assert status == expected, f"{role} {method} {url}: {status}, expected {expected}"
