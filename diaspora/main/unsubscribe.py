"""One-click unsubscribe (RFC 8058): the link of an optional email, used without logging in.

GET shows what the link stops and a button; POST stops it. Mail clients POST
"List-Unsubscribe=One-Click" to the same address without a CSRF token: the signed token in the
address is what proves the request comes from the email.
"""

from flask import render_template

from diaspora.extensions import csrf
from diaspora.main import bp
from diaspora.services import unsubscribe as service
from diaspora.services.errors import InvalidToken


def _refused():
    return render_template("main/unsubscribe.html", what=None, done=False), 400


@bp.route("/unsubscribe/<token>")
def unsubscribe(token: str):
    try:
        what = service.describe(token)
    except InvalidToken:
        return _refused()
    return render_template("main/unsubscribe.html", what=what, done=False)


@bp.route("/unsubscribe/<token>", methods=["POST"])
@csrf.exempt
def unsubscribe_confirm(token: str):
    try:
        what = service.apply(token)
    except InvalidToken:
        return _refused()
    return render_template("main/unsubscribe.html", what=what, done=True)
