"""What producers return and `write` writes: an output path and its bytes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Artifact:
    path: str  # relative to the output root, with forward slashes
    data: bytes
