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
from collections.abc import Callable
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


def from_json(cls: type[T], value: Any) -> T:
    """The ``cls`` record that ``value`` describes; ``CodecError`` if it is not exactly one."""
    if cls not in RECORDS:
        raise CodecError(f"{cls.__name__} is not a cached record")
    try:
        return _decoder(cls)(value)  # type: ignore[no-any-return]
    except CodecError as exc:
        raise CodecError(f"{cls.__name__}{exc}") from None


# Decoders are built once per type (a rebuild decodes thousands of entries); an error message
# is built only on failure, as its path (".takedowns[0].counts.accounts: ...") bubbles up.
Decoder = Callable[[Any], Any]


def _fail(message: str) -> CodecError:
    return CodecError(f": {message}")


def _str(value: Any) -> str:
    if type(value) is not str:
        raise _fail(f"expected a string, got {type(value).__name__}")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise _fail(f"expected an integer, got {type(value).__name__}")
    return value


def _float(value: Any) -> float:
    if type(value) not in (int, float):
        raise _fail(f"expected a number, got {type(value).__name__}")
    return float(value)


def _date(value: Any) -> date:
    if type(value) is not str:
        raise _fail(f"expected an ISO date, got {type(value).__name__}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail("not an ISO date") from None


def _bytes(value: Any) -> bytes:
    if type(value) is not str:
        raise _fail(f"expected base64 text, got {type(value).__name__}")
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise _fail("not base64") from None


_SCALARS: dict[Any, Decoder] = {str: _str, int: _int, float: _float, date: _date, bytes: _bytes}


@cache
def _decoder(tp: Any) -> Decoder:
    if tp in _SCALARS:
        return _SCALARS[tp]
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        rest = [o for o in typing.get_args(tp) if o is not type(None)]
        if len(rest) != 1 or len(typing.get_args(tp)) != 2:
            raise TypeError(f"unsupported type {tp}")
        inner = _decoder(rest[0])
        return lambda value: None if value is None else inner(value)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(f"unsupported type {tp}")
        return _sequence(_decoder(args[0]))
    if tp in RECORDS:
        hints = typing.get_type_hints(tp)
        return _record(tp, tuple((f.name, _decoder(hints[f.name])) for f in dataclasses.fields(tp)))
    raise TypeError(f"unsupported type {tp}")


def _sequence(item: Decoder) -> Decoder:
    def sequence(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _fail(f"expected a list, got {type(value).__name__}")
        out = []
        for i, v in enumerate(value):
            try:
                out.append(item(v))
            except CodecError as exc:
                raise CodecError(f"[{i}]{exc}") from None
        return tuple(out)

    return sequence


def _record(cls: type, fields: tuple[tuple[str, Decoder], ...]) -> Decoder:
    names = frozenset(name for name, _ in fields)

    def record(value: Any) -> Any:
        if type(value) is not dict:
            raise _fail(f"expected an object, got {type(value).__name__}")
        if value.keys() != names:
            extra, missing = sorted(set(value) - names), sorted(names - set(value))
            raise _fail(f"unknown fields {extra}" if extra else f"missing fields {missing}")
        kwargs = {}
        for name, decode in fields:
            try:
                kwargs[name] = decode(value[name])
            except CodecError as exc:
                raise CodecError(f".{name}{exc}") from None
        return cls(**kwargs)

    return record
