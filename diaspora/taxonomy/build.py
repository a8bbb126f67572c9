"""Build the taxonomy data file the application ships.

    python -m diaspora.taxonomy.build [--esco DIR] [--out DIR] [--arabic DIR]

Reads the ESCO export (English v1.1.1 labels and hierarchy, French v1.0 labels), merges our
curated additions (``curated.json``: Arabic labels, abbreviations, a few concepts ESCO lacks)
and our Arabic label files (``arabic/*.csv``), and writes ``taxonomy.json.gz``. The output is
deterministic for the same inputs, so a rebuild that changes nothing leaves git clean.
"""

from __future__ import annotations

import argparse
import ast
import csv
import gzip
import io
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent
DEFAULT_ESCO_DIR = REPO_ROOT.parent / "shared" / "data" / "esco"
DEFAULT_OUT_DIR = PACKAGE_DIR / "data"
CURATED_PATH = PACKAGE_DIR / "curated.json"
ARABIC_DIR = PACKAGE_DIR / "arabic"
ARABIC_COLUMNS = ("id", "en", "ar", "variants", "reviewed")
DATA_FILENAME = "taxonomy.json.gz"
FORMAT_VERSION = 1

# Some cells hold several alternative labels separated by newlines (RFC 4180 quoting).
csv.field_size_limit(sys.maxsize)


def _read_csv_gz(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _clean(label: str) -> str:
    return " ".join(label.split())


def _dedupe(labels: list[str], *, exclude: set[str] = frozenset()) -> list[str]:
    """Keep first occurrences, drop empties and anything in ``exclude`` (e.g. the pref label)."""
    seen = set(exclude)
    out = []
    for label in labels:
        label = _clean(label)
        if label and label not in seen:
            seen.add(label)
            out.append(label)
    return out


def _path(levels: list[Any]) -> list[str]:
    # ESCO pads transversal paths with None at level 3; a path is the codes that exist.
    return [code for code in levels if code]


def read_esco(esco_dir: Path) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Return ``(concepts by id, group names by code)`` from the ESCO export in ``esco_dir``."""
    concepts: dict[str, dict[str, Any]] = {}
    alts: dict[str, list[str]] = {}
    en_rows = _read_csv_gz(esco_dir / "skills_en.csv.gz")
    print(f"  skills_en.csv.gz: {len(en_rows):,} rows")
    for row in en_rows:
        kind = row["type"]
        if kind == "preferredLabel":
            levels = ast.literal_eval(row["hierarchy_levels"]) if row["hierarchy_levels"] else []
            paths = sorted({tuple(_path(p)) for p in levels if _path(p)})
            concepts[row["id"]] = {
                "id": row["id"],
                "en": _clean(row["description"]),
                "paths": [list(p) for p in paths],
            }
        elif kind == "altLabels":
            alts.setdefault(row["id"], []).append(row["description"])
    for cid, labels in alts.items():
        if cid in concepts:
            concepts[cid]["alt_en"] = _dedupe(labels, exclude={concepts[cid]["en"]})

    groups = json.loads((esco_dir / "hierarchy_en.json").read_text(encoding="utf-8"))
    # The one-letter pillars are not in the mapping file; name them so every path code has one.
    groups = {
        "S": "skills",
        "K": "knowledge",
        "T": "transversal skills and competences",
        "L": "language skills and knowledge",
        "A": "attitudes and values",
        **groups,
    }

    fr_rows = _read_csv_gz(esco_dir / "skills_fr.csv.gz")
    print(f"  skills_fr.csv.gz: {len(fr_rows):,} rows")
    fr_joined = 0
    for row in fr_rows:
        cid = row["conceptUri"].rstrip("/").rsplit("/", 1)[-1]
        concept = concepts.get(cid)
        if concept is None:
            continue  # a v1.0 concept that v1.1.1 no longer has
        fr_joined += 1
        concept["fr"] = _clean(row["preferredLabel"])
        fr_alts = _dedupe(row["altLabels"].split("\n"), exclude={concept["fr"]})
        if fr_alts:
            concept["alt_fr"] = fr_alts
        concept["type"] = "knowledge" if row["skillType"] == "knowledge" else "skill"
    print(f"  concepts: {len(concepts):,}; with French labels: {fr_joined:,}")
    return concepts, groups


def merge_curated(
    concepts: dict[str, dict[str, Any]], groups: dict[str, str], curated: dict[str, Any]
) -> dict[str, int]:
    """Add our concepts, Arabic labels and aliases to ``concepts`` in place; return counts.

    Every curated entry names the ESCO concept by id *and* English preferred label; a mismatch
    (for example after an ESCO upgrade renamed or removed a concept) stops the build rather
    than silently attaching an Arabic label to the wrong concept.
    """
    counts: Counter[str] = Counter()
    for own in curated.get("concepts", []):
        cid = own["id"]
        if not cid.startswith("diaspora:") or cid in concepts:
            raise ValueError(f"our concept ids must be new and start with 'diaspora:': {cid}")
        for path in own["paths"]:
            missing = [code for code in path if code not in groups]
            if missing:
                raise ValueError(f"{cid}: unknown hierarchy codes {missing}")
        concepts[cid] = {
            "id": cid,
            "en": own["en"],
            "fr": own["fr"],
            "paths": own["paths"],
            "type": own.get("type", "knowledge"),
            "source": "diaspora",
        }
        if own.get("alt_en"):
            concepts[cid]["alt_en"] = own["alt_en"]
        if own.get("alt_fr"):
            concepts[cid]["alt_fr"] = own["alt_fr"]
        counts["own concepts"] += 1
        # Arabic labels and aliases of our concepts go through the same path as ESCO ones.
        own_labels = {
            "id": cid,
            "esco": own["en"],
            "ar": own.get("ar", []),
            "aliases": own.get("aliases", []),
        }
        curated.setdefault("labels", []).append(own_labels)

    for entry in curated.get("labels", []):
        where = f"curated entry for {entry['id']}"
        _add_labels(concepts, entry, where, counts)
    return dict(counts)


def _add_labels(
    concepts: dict[str, dict[str, Any]], entry: dict[str, Any], where: str, counts: Counter[str]
) -> None:
    """Attach one entry's Arabic labels and aliases; what a concept already has stays first."""
    cid = entry["id"]
    concept = concepts.get(cid)
    if concept is None:
        raise ValueError(f"{where}: unknown concept {cid} ({entry.get('esco')})")
    if concept["en"] != entry["esco"]:
        raise ValueError(f"{where}: {cid} is {concept['en']!r} in ESCO, not {entry['esco']!r}")
    if entry.get("ar"):
        had = len(concept.get("ar", []))
        concept["ar"] = _dedupe(concept.get("ar", []) + entry["ar"])
        counts["concepts with Arabic labels"] += not had
        counts["Arabic labels"] += len(concept["ar"]) - had
    if entry.get("aliases"):
        concept["aliases"] = _dedupe(concept.get("aliases", []) + entry["aliases"])
        counts["curated aliases"] += len(entry["aliases"])


_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def read_arabic(arabic_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    """``(where, entry)`` for every row of the Arabic label files ``arabic_dir/*.csv``.

    Each row becomes an entry shaped like a ``curated.json`` label entry (preferred Arabic label
    first, then the variants), so both reach the concept the same way. Rows that break the
    format stop the build with the file and line, rather than shipping a label half-checked.
    """
    out: list[tuple[str, dict[str, Any]]] = []
    seen: dict[str, str] = {}
    for path in sorted(arabic_dir.glob("*.csv")) if arabic_dir.is_dir() else ():
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in ARABIC_COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise ValueError(f"{path.name}: missing columns {missing}")
            for row in reader:
                where = f"{path.name} line {reader.line_num}"
                cid, en, ar = (_clean(row[c] or "") for c in ("id", "en", "ar"))
                variants = [_clean(v) for v in (row["variants"] or "").split("|")]
                variants = [v for v in variants if v]
                if not cid:
                    raise ValueError(f"{where}: empty id")
                if cid in seen:
                    raise ValueError(f"{where}: {cid} already labelled in {seen[cid]}")
                seen[cid] = where
                if not _ARABIC.search(ar):
                    raise ValueError(f"{where}: {cid} has no Arabic label")
                latin = [t for t in (ar, *variants) if _LATIN.search(t)]
                if latin:
                    raise ValueError(f"{where}: Latin letters in Arabic labels {latin}")
                entry = {"id": cid, "esco": en, "ar": [ar, *variants]}
                entry["reviewed"] = (row["reviewed"] or "").strip().lower() == "yes"
                out.append((where, entry))
    return out


def merge_arabic(
    concepts: dict[str, dict[str, Any]], rows: list[tuple[str, dict[str, Any]]]
) -> dict[str, int]:
    """Add the Arabic label files' rows to ``concepts`` after ``curated.json`` (whose labels,
    already there, keep their place: its first Arabic label stays the preferred one)."""
    counts: Counter[str] = Counter()
    for where, entry in rows:
        _add_labels(concepts, entry, where, counts)
        counts["Arabic file rows"] += 1
        counts["Arabic file rows not yet reviewed"] += not entry["reviewed"]
    return dict(counts)


def build(esco_dir: Path, out_dir: Path, arabic_dir: Path = ARABIC_DIR) -> Path:
    """Build the shipped data file from ``esco_dir`` into ``out_dir``; return its path."""
    print(f"Reading ESCO from {esco_dir}")
    concepts, groups = read_esco(esco_dir)
    curated = json.loads(CURATED_PATH.read_text(encoding="utf-8"))
    print(f"Merging curated additions from {CURATED_PATH.name}")
    for name, count in merge_curated(concepts, groups, curated).items():
        print(f"  {name}: {count:,}")
    print(f"Merging Arabic labels from {arabic_dir}")
    for name, count in merge_arabic(concepts, read_arabic(arabic_dir)).items():
        print(f"  {name}: {count:,}")
    payload = {
        "format": FORMAT_VERSION,
        "sources": {
            "esco_en": "ESCO v1.1.1 skills (English labels, hierarchy)",
            "esco_fr": "ESCO v1.0 skills (French labels)",
            "curated": "diaspora curated additions (Arabic labels, abbreviations, own concepts)",
            "arabic": "diaspora Arabic labels and variants (arabic/*.csv), written by the team",
        },
        "attribution": "This service uses the ESCO classification of the European Commission.",
        "groups": dict(sorted(groups.items())),
        "token_aliases": curated.get("token_aliases", {}),
        "concepts": [concepts[cid] for cid in sorted(concepts)],
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    out_path = out_dir / DATA_FILENAME
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    buffer = io.BytesIO()
    # mtime=0 keeps the gzip header, hence the committed file, byte-identical across rebuilds.
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(raw)
    out_path.write_bytes(buffer.getvalue())
    n_alt = sum(len(c.get("alt_en", [])) + len(c.get("alt_fr", [])) for c in concepts.values())
    print(
        f"Wrote {out_path} ({out_path.stat().st_size / 1e6:.2f} MB): {len(concepts):,} concepts, "
        f"{len(groups):,} groups, {n_alt:,} ESCO alternative labels"
    )
    return out_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--esco", type=Path, default=DEFAULT_ESCO_DIR, help="ESCO export dir")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR, help="output dir")
    parser.add_argument(
        "--arabic", type=Path, default=ARABIC_DIR, help="dir of the Arabic label files (*.csv)"
    )
    args = parser.parse_args(argv)
    build(args.esco, args.out, args.arabic)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
