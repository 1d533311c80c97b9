"""The one fork pool: work done in order, in forked worker processes that share what they need
copy-on-write (the view model, validators, data), or in this process when one worker will do.

How many workers a build uses is decided once, by the pipeline (`context.BuildContext.workers`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from typing import Any

_shared: tuple[Callable, Any] | None = None  # set before forking, so every worker inherits it


def in_order(function: Callable[[Any, Any], Any], items: Iterable, shared: Any, workers: int = 1) -> Iterator:
    """`function(shared, item)` for each item, yielded in the items' order whatever the number of
    workers, so the output is the same with one worker or several. `shared` is never pickled: the
    workers are forked after it is set."""
    global _shared
    if workers <= 1:
        for item in items:
            yield function(shared, item)
        return
    _shared = (function, shared)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_call, items, chunksize=1)
    finally:
        _shared = None


def _call(item):
    function, shared = _shared
    return function(shared, item)


@contextlib.contextmanager
def in_background(function: Callable[[Any], Any], shared: Any, workers: int = 1) -> Iterator[Callable[[], Any]]:
    """`function(shared)` in a forked process while this one goes on: yields a function that waits
    for its result (raising what it raised). `shared` is never pickled; the result is. With one
    worker it runs here and now. Leaving the block stops the process if it is still running."""
    if workers <= 1:
        result = function(shared)
        yield lambda: result
        return
    global _shared
    _shared = (lambda shared, _: function(shared), shared)
    try:
        pool = multiprocessing.get_context("fork").Pool(1)  # forks now, with _shared set
    finally:
        _shared = None
    try:
        yield pool.apply_async(_call, (None,)).get
    finally:
        pool.terminate()
        pool.join()
