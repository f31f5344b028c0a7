"""Services: which platform a company's removals are on, and what its accounts count as.

Google removing channels, or YouTube accounts, is YouTube removing them; a removal on Blogger or
Google Ads stays Google's; YouTube's accounts are channels. All from ``kg/data/platforms.jsonl``
(``channel_platform``, ``other_services``, ``accounts_are``). Takes count results of
:mod:`kg.extract.counts`; used by the mention and network rules.
"""

from __future__ import annotations

from functools import lru_cache

from kg.extract.counts import CountResult
from kg.lexicon.gazetteer import data_rows

__all__ = ["accounts_are", "channel_platform", "channel_platforms", "other_services"]


@lru_cache(maxsize=1)
def channel_platforms() -> dict[str, str]:
    """Company -> the platform its removed channels are on (``channel_platform`` in
    ``platforms.jsonl``: Google's and Alphabet's channel removals are YouTube's)."""
    rows = data_rows("platforms.jsonl")
    return {row["name"]: row["channel_platform"] for row in rows if "channel_platform" in row}


@lru_cache(maxsize=1)
def accounts_are() -> dict[str, str]:
    """Platform -> the asset field its accounts are counted as (``accounts_are`` in
    ``platforms.jsonl``: YouTube's accounts are channels)."""
    return {row["name"]: row["accounts_are"] for row in data_rows("platforms.jsonl") if "accounts_are" in row}


@lru_cache(maxsize=1)
def other_services() -> dict[str, tuple[str, ...]]:
    """Company -> its services that are not its channel platform (``other_services`` in
    ``platforms.jsonl``: Google's Blogger, Play, Ads ...): a removal there stays the company's."""
    rows = data_rows("platforms.jsonl")
    return {row["name"]: tuple(row["other_services"]) for row in rows if "other_services" in row}


def channel_platform(platform: str, counts: CountResult, named: str | None = None) -> str:
    """Google removing channels, or YouTube accounts, is YouTube removing them."""
    child = channel_platforms().get(platform)
    if child is None:
        return platform
    if named == child or any(it.field == "channels" for it in counts.items):
        return child
    return platform
