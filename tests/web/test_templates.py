"""Templates name the templates they use, and every one of them exists: a typo in an include
fails here instead of silently drawing nothing (which `ignore missing` used to allow)."""

import pytest
from jinja2 import nodes

TEMPLATE_REFERENCES = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)


@pytest.fixture
def parsed(app):
    """Every template of the application, parsed: name -> Jinja syntax tree."""
    env = app.jinja_env
    return {
        name: env.parse(env.loader.get_source(env, name)[0], name) for name in env.list_templates()
    }


def test_no_template_includes_with_ignore_missing(parsed):
    lenient = sorted(
        name
        for name, tree in parsed.items()
        if any(node.ignore_missing for node in tree.find_all(nodes.Include))
    )
    assert not lenient


def test_every_include_extends_and_import_names_an_existing_template(parsed):
    broken = []
    for name, tree in parsed.items():
        for node in tree.find_all(TEMPLATE_REFERENCES):
            target = node.template
            # A name computed at render time could not be checked: templates name theirs.
            if not isinstance(target, nodes.Const) or not isinstance(target.value, str):
                broken.append((name, "a template name computed at render time"))
            elif target.value not in parsed:
                broken.append((name, target.value))
    assert not broken
