"""Pause Python's cyclic garbage collector around stages that allocate many acyclic objects.

Resolving, building the triple set and writing Turtle each make hundreds of thousands of
tuples, strings and frozen records and no reference cycles, in a process that already holds
the whole corpus's facts. Every few thousand allocations the collector wakes and rescans
them, and on a 400-article corpus that rescanning cost the triple step more than its own
work. Reference counting still frees everything as usual; only cycle detection waits until
the stage is over.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block; the collector's state is restored after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
