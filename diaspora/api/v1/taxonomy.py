"""The skill taxonomy (ESCO and ours): search it as the autocomplete does, read a concept."""

from flask_babel import get_locale

from diaspora.api.v1.hooks import blueprint
from diaspora.api.v1.schemas import ConceptArgs, ConceptOut, SkillSearchArgs, SkillSuggestionOut
from diaspora.services import skills

bp = blueprint(
    "api_taxonomy",
    "The skill taxonomy. This service uses the ESCO classification of the European Commission.",
)


def _lang(args: dict) -> str:
    return args.get("lang") or str(get_locale())


@bp.route("/taxonomy/skills", methods=["GET"])
@bp.arguments(SkillSearchArgs, location="query")
@bp.response(200, SkillSuggestionOut(many=True))
def search(args):
    """Concepts whose labels start with (a word starting with) `q`, labelled in `lang`.

    Scope: read. Any role.
    """
    return skills.search(args["q"], _lang(args), args["limit"])


@bp.route("/taxonomy/concepts/<concept_id>", methods=["GET"])
@bp.arguments(ConceptArgs, location="query")
@bp.response(200, ConceptOut)
def concept(args, concept_id: str):
    """One concept: its labels in every language, synonyms, and where it sits.

    Scope: read. Any role.
    """
    return skills.concept(concept_id, _lang(args))
