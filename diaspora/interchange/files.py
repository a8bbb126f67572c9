"""Reading and writing interchange files, JSON Lines (``.jsonl``) or CSV (``.csv``).

Reading streams: one line (or CSV row) at a time, constant memory whatever the file size, and
each line is validated on its own so that a bad line is reported and the others go through.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TextIO

from diaspora.interchange import csv_format
from diaspora.interchange.encoding import expert_to_dict, project_to_dict
from diaspora.interchange.parsing import parse_expert, parse_project
from diaspora.interchange.records import ExpertRecord, ProjectRecord, RecordError

Source = str | os.PathLike[str] | IO[str] | IO[bytes]
Record = ExpertRecord | ProjectRecord

KINDS = ("experts", "projects")
_PARSERS: dict[str, Callable[[Any], Record]] = {"experts": parse_expert, "projects": parse_project}
_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}
# Undecodable bytes survive decoding as lone surrogates ("surrogateescape"), so that one bad line
# is reported instead of aborting the whole file.
_BAD_BYTES = re.compile(r"[\udc80-\udcff]")
_NOT_UTF8 = "line is not valid UTF-8 text"
# A JSON escape such as "\ud800" decodes to half of a surrogate pair, which no text encoding
# can store; a whole pair decodes to one character and is fine.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def file_format(source: Source, fmt: str | None = None) -> str:
    """ "jsonl" or "csv": ``fmt`` when given, else from the file name's extension."""
    if fmt is not None:
        if fmt not in ("jsonl", "csv"):
            raise ValueError(f"unknown format {fmt!r}: use 'jsonl' or 'csv'")
        return fmt
    name = source if isinstance(source, str | os.PathLike) else getattr(source, "name", "")
    suffix = Path(os.fspath(name)).suffix.lower() if isinstance(name, str | os.PathLike) else ""
    try:
        return _FORMATS[suffix]
    except KeyError:
        raise ValueError(
            f"cannot tell the format of {name!r}: name it .jsonl or .csv, or pass fmt"
        ) from None


@contextlib.contextmanager
def _open_text(source: Source) -> Iterator[TextIO]:
    """A text stream over a path or an open file (text or binary), without closing the
    caller's file. ``newline=""`` keeps line breaks inside CSV cells as they were."""
    if isinstance(source, str | os.PathLike):
        with open(source, encoding="utf-8-sig", errors="surrogateescape", newline="") as f:
            yield f
    elif isinstance(source, io.TextIOBase):
        yield source  # type: ignore[misc]
    else:
        wrapper = io.TextIOWrapper(
            source,  # type: ignore[arg-type]
            encoding="utf-8-sig",
            errors="surrogateescape",
            newline="",
        )
        try:
            yield wrapper
        finally:
            wrapper.detach()


def read_records(
    source: Source, kind: str, fmt: str | None = None
) -> Iterator[tuple[int, Record | RecordError]]:
    """Yield ``(line_number, record or RecordError)`` for each record of an interchange file.

    ``kind`` is "experts" or "projects". Line numbers are physical lines counted from 1: for
    CSV the line where the record starts, the header being line 1. Blank lines are skipped. A
    line that is not JSON, not UTF-8 or not a valid record yields a RecordError and reading goes
    on with the next line.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: use 'experts' or 'projects'")
    parse = _PARSERS[kind]
    fmt = file_format(source, fmt)
    with _open_text(source) as stream:
        if fmt == "jsonl":
            yield from _read_jsonl(stream, parse)
        else:
            yield from _read_csv(stream, kind, parse)


def _validate(obj: Any, parse: Callable[[Any], Record]) -> Record | RecordError:
    try:
        return parse(obj)
    except RecordError as error:
        return error
    except (ArithmeticError, ValueError, RecursionError) as error:
        # A value no check foresaw: this line is refused, never the whole file.
        return RecordError([f"line could not be read ({type(error).__name__})"])


def _read_jsonl(
    stream: TextIO, parse: Callable[[Any], Record]
) -> Iterator[tuple[int, Record | RecordError]]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        if _BAD_BYTES.search(line):
            yield number, RecordError([_NOT_UTF8])
            continue
        yield number, _parse_json_line(line, parse)


def _parse_json_line(line: str, parse: Callable[[Any], Record]) -> Record | RecordError:
    try:
        obj = json.loads(line)
        if _SURROGATE_ESCAPE.search(line) and _SURROGATE.search(
            json.dumps(obj, ensure_ascii=False)
        ):
            return RecordError(["line holds a \\u escape that is not a whole character"])
    except json.JSONDecodeError as error:
        return RecordError([f"line is not valid JSON: {error.msg} (column {error.colno})"])
    except RecursionError:
        return RecordError(["line is nested too deeply to be a record"])
    except ValueError:  # an integer of thousands of digits, which int() refuses
        return RecordError(["line holds a number too long to read"])
    return _validate(obj, parse)


def _read_csv(
    stream: TextIO, kind: str, parse: Callable[[Any], Record]
) -> Iterator[tuple[int, Record | RecordError]]:
    header_line = stream.readline()
    if not header_line.strip():
        return
    # Spreadsheets saved in French locales separate cells with ";" (our list separator inside
    # cells): the header, whose names hold neither, tells which one this file uses.
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    header = csv_format.normalise_header(next(csv.reader([header_line], delimiter=delimiter)))
    reader = csv.reader(stream, delimiter=delimiter)
    last_line = 1  # reader.line_num counts from after the header
    while True:
        start = last_line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            last_line = 1 + reader.line_num
            yield start, RecordError([f"line is not valid CSV: {error}"])
            continue
        last_line = 1 + reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if any(_BAD_BYTES.search(cell) for cell in cells):
            yield start, RecordError([_NOT_UTF8])
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            yield (
                start,
                RecordError(
                    [f"line has {len(cells)} cells but the header names {len(header)} columns"]
                ),
            )
            continue
        row = dict(zip(header, cells, strict=False))
        yield start, _validate(row, lambda row: parse(csv_format.row_to_object(row, kind)))


def count_lines(path: str | os.PathLike[str]) -> int:
    """Physical lines in a file, counted fast in binary: the total for a progress bar fed with
    the line numbers of :func:`read_records`."""
    lines = 0
    last = b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def _write(
    items: Iterable[Any],
    target: str | os.PathLike[str] | IO[str],
    fmt: str | None,
    kind: str,
) -> int:
    if fmt is None and not isinstance(target, str | os.PathLike):
        # An open file named .csv gets CSV; anything else, such as standard output, JSON Lines.
        name = getattr(target, "name", "")
        fmt = _FORMATS.get(Path(name).suffix.lower(), "jsonl") if isinstance(name, str) else "jsonl"
    fmt = file_format(target, fmt)
    record_type, parse = (
        (ExpertRecord, parse_expert) if kind == "experts" else (ProjectRecord, parse_project)
    )
    to_dict = expert_to_dict if kind == "experts" else project_to_dict
    to_row = csv_format.expert_to_row if kind == "experts" else csv_format.project_to_row
    with contextlib.ExitStack() as stack:
        if isinstance(target, str | os.PathLike):
            # The byte-order mark makes spreadsheet programs read CSV as UTF-8 (Arabic names).
            encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
            stream: IO[str] = stack.enter_context(open(target, "w", encoding=encoding, newline=""))
        else:
            stream = target
        writer = csv.writer(stream) if fmt == "csv" else None
        if writer is not None:
            writer.writerow(csv_format.COLUMNS[kind])
        count = 0
        for item in items:
            record = item if isinstance(item, record_type) else parse(item)
            if writer is not None:
                writer.writerow(to_row(record))
            else:
                stream.write(json.dumps(to_dict(record), ensure_ascii=False) + "\n")
            count += 1
    return count


def write_experts(
    records: Iterable[ExpertRecord | dict[str, Any]],
    target: str | os.PathLike[str] | IO[str],
    fmt: str | None = None,
) -> int:
    """Write experts (records, or dicts validated on the way) as JSON Lines or CSV; return how
    many. ``fmt`` defaults to the target's extension (JSON Lines for an unnamed stream).
    Raises RecordError on the first invalid dict."""
    return _write(records, target, fmt, "experts")


def write_projects(
    records: Iterable[ProjectRecord | dict[str, Any]],
    target: str | os.PathLike[str] | IO[str],
    fmt: str | None = None,
) -> int:
    """Write projects (records, or dicts validated on the way) as JSON Lines or CSV; return how
    many. ``fmt`` defaults to the target's extension (JSON Lines for an unnamed stream).
    Raises RecordError on the first invalid dict."""
    return _write(records, target, fmt, "projects")
