"""What a browser without JavaScript sends when a person submits a page's form untouched: the
values the page shows, by the HTML rules (checked boxes only, a select's selected option or
its first, a textarea's text without the newline that follows its start tag)."""

from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict

_TEXT_INPUTS = {"", "text", "hidden", "number", "date", "email", "url", "search", "tel"}


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.pairs: list[tuple[str, str]] = []
        self._inside = False
        self._done = False
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def _wanted(self, attrs: dict) -> bool:
        if self.form_id is None:
            return (attrs.get("method") or "get").lower() == "post"
        return attrs.get("id") == self.form_id

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self._done:
            self._inside = self._wanted(attrs)
        if not self._inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "").lower()
            if kind in _TEXT_INPUTS:
                self.pairs.append((name, attrs.get("value") or ""))
            elif kind in ("checkbox", "radio") and "checked" in attrs:
                self.pairs.append((name, attrs.get("value", "on")))
        elif tag == "select" and name:
            self._select = {"name": name, "options": [], "multiple": "multiple" in attrs}
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attrs.get("value"),
                "text": "",
                "selected": "selected" in attrs,
            }
            self._select["options"].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._inside:
            self._inside, self._done = False, True
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [o for o in options if o["selected"]]
            if not chosen and options and not self._select["multiple"]:
                chosen = options[:1]
            for o in chosen:
                value = o["value"] if o["value"] is not None else o["text"].strip()
                self.pairs.append((self._select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            text = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self.pairs.append((self._textarea["name"], text))
            self._textarea = None


def submitted(html: str, form_id: str | None = None, **buttons: str) -> MultiDict:
    """The fields of the form ``form_id`` (else the page's first POST form) as sent, plus the
    pressed button's ``name=value``."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return MultiDict(reader.pairs + list(buttons.items()))
