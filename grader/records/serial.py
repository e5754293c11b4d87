"""The read records as plain data (JSON's types), and back: what the cache keeps of a reading.

Every record of ``grader.records`` (and the ``FileRecord`` holding it) is a frozen dataclass of
a few value types; ``to_data`` turns one into dicts, lists, strings and numbers, tagging each
record with its class name and each value JSON has no type of its own (a tuple, a Fraction,
bytes, a date) with its type, and ``from_data`` rebuilds the same record. Only the classes
named in ``RECORDS`` are rebuilt: cache data never names code to run.

>>> from grader.records.tables import Cell, Row
>>> row = Row(3, {"price": Cell(Fraction(1299, 100), "D3"), "added": Cell(dt.date(2026, 11, 2), "E3", True)})
>>> data = to_data(row)
>>> data["cells"]["v"]["price"]
{'@': 'Cell', 'value': {'$': 'fraction', 'v': '1299/100'}, 'ref': 'D3', 'is_date': False}
>>> from_data(data) == row
True
"""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path, PurePosixPath
from typing import Any

from grader.model import Exhibit, FileRecord
from grader.records.folders import Folder
from grader.records.images import Examined, Fingerprint, Frame, HashMethod, ImageFile, ImageFolder, Naming
from grader.records.service import ServiceFolder, TextFile
from grader.records.tables import Cell, Row, Sheet, SheetGrid, Workbook

RECORDS = {cls.__name__: cls for cls in (
    FileRecord, Exhibit, Folder, Examined, Fingerprint, Frame, HashMethod, ImageFile, ImageFolder, Naming,
    ServiceFolder, TextFile, Cell, Row, Sheet, SheetGrid, Workbook)}


class RecordDataError(ValueError):
    """The data does not describe a read record (a damaged or foreign cache entry)."""


_FIELDS = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in RECORDS.values()}
_SAFE = 1 << 53  # integers JSON readers keep exactly


_AS_IS = (str, bool, type(None))  # what ``to_data`` returns unchanged (and a safe int)


def _as_is(value: Any) -> bool:
    kind = type(value)
    return kind in _AS_IS or (kind is int and -_SAFE < value < _SAFE)


def to_data(value: Any) -> Any:
    """``value`` (a record, or what a record holds) as JSON's types."""
    kind = type(value)
    if value is None or kind is str or kind is bool:
        return value
    if kind is int:
        return value if -_SAFE < value < _SAFE else {"$": "int", "v": str(value)}  # a hash of 64 bits
    names = _FIELDS.get(kind)
    if names is not None:
        data = {"@": kind.__name__}
        for name in names:  # a record's fields are mostly plain: taken as they are, without a call each
            field = getattr(value, name)
            data[name] = field if type(field) in _AS_IS else to_data(field)
        return data
    if kind is tuple and all(_as_is(v) for v in value):
        return {"$": "tuple", "v": list(value)}  # an image's frame counts, a grid's row: many, and plain
    if kind is float:
        return {"$": "float", "v": repr(value)}  # exact: repr round-trips, and keeps inf and nan
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {"$": "dict", "v": {k: v if type(v) in _AS_IS else to_data(v) for k, v in value.items()}}
        return {"$": "pairs", "v": [[to_data(k), to_data(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [to_data(v) for v in value]
    if isinstance(value, tuple):
        return {"$": "tuple", "v": [to_data(v) for v in value]}
    if isinstance(value, Fraction):
        return {"$": "fraction", "v": str(value)}
    if isinstance(value, Decimal):
        return {"$": "decimal", "v": str(value)}
    if isinstance(value, bytes):
        return {"$": "bytes", "v": base64.b64encode(value).decode("ascii")}
    if isinstance(value, Path):
        return {"$": "path", "v": value.as_posix()}
    for kind in (dt.datetime, dt.date, dt.time):  # datetime before date: it is one
        if isinstance(value, kind):
            return {"$": kind.__name__, "v": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"$": "timedelta", "v": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, float):
        return {"$": "float", "v": repr(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        raise TypeError(f"{kind.__name__} is not a read record")
    raise TypeError(f"a read record holds a {type(value).__name__}, which the cache cannot keep")


def from_data(data: Any) -> Any:
    """The record (or value) ``to_data`` made ``data`` from; RecordDataError when it is not such data."""
    try:
        return _rebuild(data)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise RecordDataError(f"not a read record ({type(exc).__name__}: {exc})") from None


_VALUES = {
    "int": int, "float": float, "fraction": Fraction, "decimal": Decimal, "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat, "time": dt.time.fromisoformat,
    "bytes": lambda v: base64.b64decode(v, validate=True),
    "path": lambda v: Path(PurePosixPath(v)),
    "timedelta": lambda v: dt.timedelta(days=v[0], seconds=v[1], microseconds=v[2]),
}


def _rebuild(data: Any) -> Any:
    if data is None or isinstance(data, (bool, int, str)):
        return data
    if isinstance(data, list):
        return [_rebuild(v) for v in data]
    if not isinstance(data, dict):
        raise TypeError(f"unexpected {type(data).__name__}")
    if "@" in data:
        cls = RECORDS[data["@"]]
        names = {f.name for f in dataclasses.fields(cls)}
        given = {k: _rebuild(v) for k, v in data.items() if k != "@"}
        if set(given) - names:
            raise KeyError(f"{cls.__name__} has no field {min(set(given) - names)}")
        return cls(**given)
    kind, value = data["$"], data["v"]
    if kind == "dict":
        return {k: _rebuild(v) for k, v in value.items()}
    if kind == "pairs":
        return {_rebuild(k): _rebuild(v) for k, v in value}
    if kind == "tuple":
        return tuple(_rebuild(v) for v in value)
    return _VALUES[kind](value)
