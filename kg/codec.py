"""Records to plain JSON values and back, with every field's type checked on the way in.

The extraction cache stores facts as JSON, never as pickles: a cache folder may be shared
(``--cache-dir`` on a cluster path, another user's ``OUT``), and a pickle runs whatever its
author wanted when loaded. JSON only ever gives data; :func:`from_json` then rebuilds the
frozen records from it and rejects anything that is not exactly their shape (unknown or
missing fields, a string where a count goes, a bool for an int, a malformed date), so a
forged or damaged entry is a clean :class:`CodecError`, never a half-built record.

Only the record classes listed in :data:`RECORDS` can be built; the field types come from
their annotations (str, int, float, bool, None, date, bytes, tuples and nested records).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import types
import typing
from datetime import date
from functools import cache
from typing import Any, TypeVar

from kg.ingest.duplicates import Fingerprint
from kg.records import (
    ArticleFacts,
    ArticleMeta,
    Attribution,
    Counts,
    Denial,
    Evidence,
    Takedown,
)

#: The records a cache entry may hold: nothing else can be built from a file.
RECORDS: tuple[type, ...] = (
    ArticleFacts,
    ArticleMeta,
    Attribution,
    Counts,
    Denial,
    Evidence,
    Takedown,
    Fingerprint,
)

T = TypeVar("T")


class CodecError(ValueError):
    """A value does not have the shape of the record it should be (the message says where)."""


def to_json(record: Any) -> Any:
    """A record (or a value inside one) as JSON values: dicts, lists, str, int, float, None."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_json(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, tuple):
        return [to_json(v) for v in record]
    if isinstance(record, date):
        return record.isoformat()
    if isinstance(record, bytes):
        return base64.b64encode(record).decode("ascii")
    if record is None or isinstance(record, str | int | float):
        return record
    raise TypeError(f"cannot encode {type(record).__name__}")


@cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def from_json(cls: type[T], value: Any) -> T:
    """The ``cls`` record that ``value`` describes; ``CodecError`` if it is not exactly one."""
    if cls not in RECORDS:
        raise CodecError(f"{cls.__name__} is not a cached record")
    return _build(cls, value, cls.__name__)  # type: ignore[no-any-return]


def _build(tp: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        options = typing.get_args(tp)
        if value is None and type(None) in options:
            return None
        rest = [o for o in options if o is not type(None)]
        if len(rest) != 1:
            raise CodecError(f"{where}: unsupported type {tp}")
        return _build(rest[0], value, where)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) != 2 or args[1] is not Ellipsis:
            raise CodecError(f"{where}: unsupported type {tp}")
        if not isinstance(value, list):
            raise CodecError(f"{where}: expected a list, got {type(value).__name__}")
        return tuple(_build(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
    if tp in RECORDS:
        if not isinstance(value, dict):
            raise CodecError(f"{where}: expected an object, got {type(value).__name__}")
        fields = _fields(tp)
        names = {name for name, _ in fields}
        if set(value) != names:
            extra, missing = sorted(set(value) - names), sorted(names - set(value))
            raise CodecError(
                f"{where}: unknown fields {extra}" if extra else f"{where}: missing fields {missing}"
            )
        return tp(**{name: _build(hint, value[name], f"{where}.{name}") for name, hint in fields})
    if tp is str:
        if not isinstance(value, str):
            raise CodecError(f"{where}: expected a string, got {type(value).__name__}")
        return value
    if tp is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise CodecError(f"{where}: expected an integer, got {type(value).__name__}")
        return value
    if tp is float:
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise CodecError(f"{where}: expected a number, got {type(value).__name__}")
        return float(value)
    if tp is date:
        if not isinstance(value, str):
            raise CodecError(f"{where}: expected an ISO date, got {type(value).__name__}")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CodecError(f"{where}: not an ISO date") from None
    if tp is bytes:
        if not isinstance(value, str):
            raise CodecError(f"{where}: expected base64 text, got {type(value).__name__}")
        try:
            return base64.b64decode(value.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise CodecError(f"{where}: not base64") from None
    raise CodecError(f"{where}: unsupported type {tp}")
