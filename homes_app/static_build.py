"""The asset build, run by `make assets` after GOV.UK Frontend's files are copied into
static/govuk/:

    python -m homes_app.static_build [static]

Every file of static/ gets a fingerprinted copy beside it (app.css: app.<hash>.css, the hash 12
hex digits of the copy's SHA-256), and static/staticfiles.json maps plain names to those
(static_assets.py serves by it). A stylesheet's url(...)s and @imports, and a script's
imports, are rewritten to the fingerprinted names of what they ask for before the file is
hashed, so a new font gives its stylesheet a new name too. A reference to a local file that is
not there fails the build, never a page. Then WhiteNoise's compressor writes a .br and a .gz
of each file worth compressing, which browsers are sent instead at no cost per request.

Source maps are left as they are: only developer tools ask for them, by their plain names."""
from __future__ import annotations

import hashlib
import json
import posixpath
import re
import sys
from pathlib import Path, PurePosixPath

from whitenoise.compress import Compressor

from .static_assets import MANIFEST, SERVED

_URL = r"(?P<q>[\"']?)(?P<ref>[^\"')\s]+)(?P=q)"
REFERENCES = {
    ".css": (re.compile(r"url\(\s*" + _URL + r"\s*\)"),
             re.compile(r"@import\s+(?P<q>[\"'])(?P<ref>[^\"']+)(?P=q)")),
    # Only path specifiers (/, ./, ../): a bare one names no file here.
    ".js": (re.compile(r"\b(?:from|import)\s*\(?\s*(?P<q>[\"'])(?P<ref>\.{0,2}/[^\"']*)(?P=q)"),),
}
REFERENCES[".mjs"] = REFERENCES[".js"]
NOT_LOCAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)  # data:, https:, ...
FINGERPRINTED = re.compile(r"\.[0-9a-f]{12}(\.[^./]+)?$")
SKIPPED_SUFFIXES = (".map", ".gz", ".br")


class BuildError(Exception):
    pass


class Build:
    """One run over a static folder: `name(plain)` makes the fingerprinted copy (and first
    those of the files it refers to) and answers its name."""

    def __init__(self, root: Path):
        self.root = root
        self.sources = set(sources(root))
        self.names: dict[str, str] = {}
        self._making: list[str] = []

    def name(self, plain: str) -> str:
        if plain in self.names:
            return self.names[plain]
        if plain in self._making:
            raise BuildError(f"{' -> '.join(self._making + [plain])}: a loop of references")
        self._making.append(plain)
        content = self._content(plain)
        self._making.pop()
        path = PurePosixPath(plain)
        digest = hashlib.sha256(content).hexdigest()[:12]
        hashed = str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))
        (self.root / hashed).write_bytes(content)
        self.names[plain] = hashed
        return hashed

    def _content(self, plain: str) -> bytes:
        data = (self.root / plain).read_bytes()
        patterns = REFERENCES.get(PurePosixPath(plain).suffix, ())
        if not patterns:
            return data
        text = data.decode("utf-8")
        for pattern in patterns:
            text = pattern.sub(lambda found: self._rewrite(plain, found), text)
        return text.encode("utf-8")

    def _rewrite(self, plain: str, found: re.Match) -> str:
        reference = found["ref"]
        if NOT_LOCAL.match(reference):
            return found[0]
        path, tail = re.match(r"([^?#]*)(.*)", reference).groups()
        wanted = posixpath.normpath(posixpath.join("/static/" + posixpath.dirname(plain), path))
        for _, prefix, folder in SERVED:
            if wanted.startswith(prefix) and folder + wanted[len(prefix):] in self.sources:
                target = folder + wanted[len(prefix):]
                new = prefix + self.name(target)[len(folder):] + tail
                start, end = found.span("ref")
                return found[0][:start - found.start()] + new + found[0][end - found.start():]
        raise BuildError(f"static/{plain} asks for {reference}, which is not a file of static/")


def sources(root: Path) -> list[str]:
    """The files to fingerprint, relative to root: not dotfiles, source maps, compressed copies,
    the manifest or fingerprinted copies."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if (path.is_file() and relative.name != MANIFEST
                and not any(part.startswith(".") for part in relative.parts)
                and not relative.name.endswith(SKIPPED_SUFFIXES)
                and not FINGERPRINTED.search(relative.name)):
            found.append(relative.as_posix())
    return found


def remove_earlier_build(root: Path) -> None:
    """The last build's fingerprinted copies (named in its manifest) and every compressed copy."""
    manifest = root / MANIFEST
    if manifest.exists():
        for hashed in json.loads(manifest.read_text()).values():
            (root / hashed).unlink(missing_ok=True)
        manifest.unlink()
    for compressed in [*root.rglob("*.gz"), *root.rglob("*.br")]:
        compressed.unlink()


def build(root: Path) -> dict[str, str]:
    """Fingerprint and compress root's files; write and answer the manifest."""
    remove_earlier_build(root)
    run = Build(root)
    for plain in sorted(run.sources):
        run.name(plain)
    compressor = Compressor(quiet=True)
    for name in [*run.names, *run.names.values()]:
        if compressor.should_compress(name):
            compressor.compress(str(root / name))
    (root / MANIFEST).write_text(json.dumps(run.names, indent=1, sort_keys=True) + "\n")
    return run.names


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "static")
    try:
        names = build(root)
    except BuildError as error:
        print(f"static_build: {error}", file=sys.stderr)
        return 1
    print(f"static_build: {len(names)} files of {root}/ fingerprinted, {root}/{MANIFEST} written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
