"""The garbage collector during a capture: left to whoever runs inside, collecting between batches."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_automatic_collections() -> Iterator[None]:
    """The garbage collector left to whoever runs inside: a capture collects only between batches,
    and only among objects made since the last batch.

    A capture keeps many objects alive for a while (the batch, the ledger, the rules' tallies);
    left automatic, the collector walks all of them again and again (a quarter of a large
    capture's time was spent there). After each batch is written and dropped, the two young
    generations are collected instead: that walks only what outlived the batch, and still frees
    any reference cycle it left behind.
    """
    automatic = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if automatic:
            gc.enable()
