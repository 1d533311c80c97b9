"""What each page of a built site was made from, kept in the user's cache for the next build
(read by inputs.page_index)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from generator.inputs import page_index, validation_cache


def keep_page_index(output: Path, entries: dict[str, page_index.Entry],
                    segments: tuple[str, dict] | None = None) -> None:
    """Keep what each page of the site now at `output` was made from (inputs.page_index), for the
    next build, and the segments of its gzipped files (`segments`: the compressor and each file's
    stamp and segments; None: none known); each written whole beside the old one and then put in
    its place. The indexes of other folders not built for INDEX_KEPT_DAYS go (a test's, a moved
    site's). A cache that can't be written costs only time: the next build makes everything."""
    target = page_index.location(output)
    _replace(target, page_index.encode(entries))
    kept = page_index.segments_location(output)
    if segments is not None:
        _replace(kept, page_index.encode_segments(*segments))
    else:
        with contextlib.suppress(OSError):
            kept.unlink()
    with contextlib.suppress(OSError):
        validation_cache.remove_older((other for other in target.parent.iterdir() if other not in (target, kept)),
                                      INDEX_KEPT_DAYS)


def _replace(target: Path, data: bytes) -> None:
    """Write `data` beside `target`, then put it in its place; nothing when that can't be done."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=target.name, delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, target)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(handle.name)


INDEX_KEPT_DAYS = 30
