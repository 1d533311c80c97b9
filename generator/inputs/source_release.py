"""A release as read, and where from; packed into its compact JSON bytes once its file is read.

A release held as Python dicts and strings takes about six times the memory of its compact JSON,
and a big city's releases are held from reading to the bulk downloads. So once a file is read,
each of its releases is packed (`SourceRelease.pack`): its bytes are kept, with the three fields
every stage groups, orders and names it by (ocid, id, date), and each stage unpacks a process's
releases while it works on them. The bytes are what `orjson.dumps` writes, so the bulk downloads
write them as they are. A release orjson can't write (an integer past 64 bits, a YAML set) stays
as it was read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

import orjson

from generator.errors import Location


def pack(value) -> bytes | None:
    """A release object's compact JSON, or None when it is not an object or orjson can't write it."""
    if type(value) is not dict:
        return None
    try:
        return orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError: past 64 bits, a lone surrogate, too deep, not JSON's type
        return None


def to_json(value) -> bytes:
    """Compact JSON in the data's own key order; json for what orjson refuses (integers past 64 bits)."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def unpack(stored):
    """A release kept by `CompiledRecord`: its bytes decoded, or the value that could not be packed."""
    return orjson.loads(stored) if type(stored) is bytes else stored


@dataclass(slots=True)
class SourceRelease:
    """One release and where it was read from."""

    value: object  # the release as read; None once packed (its data is then in `packed`)
    file: str
    pointer: str = ""
    item: int | None = None
    line: int | None = None
    example: bool = False  # the file starts with EXAMPLE
    packed: bytes | None = None  # its compact JSON, once packed (or unpacked again for a while)
    head: tuple | None = None  # (ocid, id, date) as read, when packed

    @property
    def data(self):
        """The release as read (decoded again from its bytes when packed)."""
        return orjson.loads(self.packed) if self.value is None and self.packed is not None else self.value

    def pack(self) -> None:
        """Keep the release as its compact JSON bytes, when it is an object orjson can write."""
        if self.packed is None and (packed := pack(self.value)) is not None:
            self.head = (self.value.get("ocid"), self.value.get("id"), self.value.get("date"))
            self.value, self.packed = None, packed

    def unpacked(self) -> SourceRelease:
        """This release with its data decoded once, for a stage that reads it more than once."""
        return replace(self, value=self.data) if self.value is None else self

    def stored(self):
        """What a compiled record keeps of it: its bytes when packed, else its value."""
        return self.packed if self.packed is not None else self.value

    def get(self, key: str):
        """The release's ocid, id or date (None when it is not an object), without unpacking it."""
        if self.head is not None:
            return self.head[("ocid", "id", "date").index(key)]
        return self.value.get(key) if isinstance(self.value, dict) else None

    @property
    def is_object(self) -> bool:
        return self.head is not None or isinstance(self.value, dict)

    def location(self, pointer: str = "") -> Location:
        """Where a problem in this release is. Its line is known here only for the release as a
        whole, or in JSON Lines (one release per line); otherwise load.locate_lines finds it."""
        ocid = self.get("ocid")
        line = self.line if not pointer or self.file.endswith(".jsonl") else None
        return Location(self.file, line, self.item, ocid if isinstance(ocid, str) else "", self.pointer + pointer)
