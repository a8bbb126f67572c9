from flask import current_app, jsonify, request
from flask_babel import get_locale

from diaspora.api import bp
from diaspora.main.converters import whole_number
from diaspora.taxonomy import get_taxonomy

MAX_QUERY = 100
DEFAULT_LIMIT = 8
MAX_LIMIT = 20


@bp.route("/skills")
def skills():
    """Skill autocomplete: ``?q=appren&lang=fr[&limit=8]`` → ``[{"id", "label", "matched"}]``.

    Labels are in ``lang`` (default: the page's language). Open to guests: the taxonomy is
    public (ESCO), and sign-up pages may use it.
    """
    query = " ".join(request.args.get("q", "").split())[:MAX_QUERY]
    lang = request.args.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        lang = str(get_locale())
    limit = request.args.get("limit", DEFAULT_LIMIT, type=whole_number(0, MAX_LIMIT))
    if not query or limit < 1:
        return jsonify([])
    suggestions = get_taxonomy().suggest(query, lang, limit)
    response = jsonify(
        [{"id": s.concept_id, "label": s.label, "matched": s.matched} for s in suggestions]
    )
    # The same query gives the same answer until the taxonomy is rebuilt (a deploy); private,
    # because without ?lang= the answer follows the visitor's language.
    response.cache_control.max_age = 3600
    response.cache_control.private = True
    return response
