"""Profile texts are embedded once: a file imported again embeds nothing, and experts whose
texts are identical share one encoding."""

import io
import json

import pytest

from diaspora.extensions import db
from diaspora.models import ExpertProfile
from diaspora.services import imports
from diaspora.taxonomy import get_taxonomy
from diaspora.taxonomy.semantic import Encoder
from tests.conftest import DEV_SET as DEV

pytestmark = pytest.mark.config(MATCH_USE_TEXT=True)

EXPERTS = (DEV / "experts.jsonl").read_text(encoding="utf-8").splitlines()[:6]
PROJECTS = (DEV / "projects.jsonl").read_text(encoding="utf-8").splitlines()[:2]


@pytest.fixture
def encoded(monkeypatch):
    """Every text given to the sentence encoder, in order."""
    if get_taxonomy().encoder is None:
        pytest.skip("the sentence encoder is not installed")
    texts: list[str] = []
    encode = Encoder.encode

    def spy(self, batch):
        texts.extend(batch)
        return encode(self, batch)

    monkeypatch.setattr(Encoder, "encode", spy)
    return texts


def file_of(lines: list[str]) -> io.StringIO:
    return io.StringIO("\n".join(lines) + "\n")


def test_a_file_imported_again_embeds_no_text(app, encoded):
    imports.import_and_rescore(file_of(PROJECTS), "projects", fmt="jsonl")
    imports.import_and_rescore(file_of(EXPERTS), "experts", fmt="jsonl")
    assert len(encoded) >= len(EXPERTS)
    assert all(p.text_vector is not None for p in ExpertProfile.query)
    encoded.clear()

    report = imports.import_and_rescore(file_of(EXPERTS), "experts", fmt="jsonl")

    assert report.unchanged == len(EXPERTS)
    assert encoded == []


def test_experts_with_the_same_text_share_one_encoding(app, encoded):
    first = json.loads(EXPERTS[0])
    twins = [
        json.dumps(dict(first, ref=f"E-TWIN{n}", email=f"twin{n}@example.org")) for n in range(3)
    ]
    imports.import_and_rescore(file_of(PROJECTS), "projects", fmt="jsonl")
    encoded.clear()

    imports.import_and_rescore(file_of(twins), "experts", fmt="jsonl")

    profiles = ExpertProfile.query.order_by(ExpertProfile.ref).all()
    assert len(profiles) == 3
    assert len({p.text_vector for p in profiles}) == 1 and profiles[0].text_vector
    assert len([t for t in encoded if first["bio"] in t]) == 1
    db.session.rollback()


def test_a_text_already_stored_for_another_expert_is_not_embedded_again(app, encoded):
    imports.import_and_rescore(file_of(PROJECTS), "projects", fmt="jsonl")
    imports.import_and_rescore(file_of(EXPERTS[:1]), "experts", fmt="jsonl")
    twin = dict(json.loads(EXPERTS[0]), ref="E-TWIN", email="twin@example.org")
    encoded.clear()

    imports.import_and_rescore(file_of([json.dumps(twin)]), "experts", fmt="jsonl")

    assert encoded == []
    first, second = ExpertProfile.query.order_by(ExpertProfile.id).all()
    assert second.text_vector == first.text_vector and second.text_digest == first.text_digest
