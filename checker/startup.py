"""Start-up helpers for loading large, long-lived data (the spaCy pipeline, the politeness
weights).

Loading them allocates hundreds of thousands of objects, which sets off Python's cyclic
garbage collector again and again, and every later full collection walks them all: a
first ``check()`` after loading paid about 50 ms for one such pass.  ``bulk_load`` pauses
the collector while loading, then moves everything alive into the permanent generation
(``gc.freeze``), which later collections skip.  The objects are kept for the life of the
process anyway.
"""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def bulk_load():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
