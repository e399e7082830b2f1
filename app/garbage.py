"""Cyclic garbage collection paused for bulk work.

Intake and allocation build tens of thousands of rows, and keep them until written:
nearly none is garbage, but each batch of allocations makes the collector walk every
object the process holds (the parsed file, the ORM's metadata) again. On 10,000 orders
that walk was a third of the CPU time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """Automatic collection off for the block (and as a decorator, for the function).

    Where it is off already (the GUI collects on its own timer: ui.main_thread_gc) this
    changes nothing; it is switched back on only by the block that switched it off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
