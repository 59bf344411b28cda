"""The asset build (homes_app/static_build.py) on a static folder of its own: fingerprinted
copies whose references name fingerprinted copies, a new name for a stylesheet whose font
changed, a failed build for a reference to no file, and nothing left of an earlier build."""
from __future__ import annotations

import json

import pytest

from homes_app.static_assets import MANIFEST
from homes_app.static_build import BuildError, build, main

CSS = """@import "theme.css";
@font-face { src: url(/assets/fonts/bold.woff2) format("woff2"), url('../fonts/bold.woff'); }
.crest { background: url("img/crest.svg?v=1#shape"); }
.dot { background: url(data:image/png;base64,AAAA); mask: url(#m); }
.far { background: url(https://example.test/x.png); }
"""


@pytest.fixture
def static(tmp_path):
    root = tmp_path / "static"
    for name, content in {
        "css/app.css": CSS, "css/theme.css": "p { color: black }" * 40,
        "css/img/crest.svg": "<svg/>" * 100, "fonts/bold.woff": "woff",
        "govuk/assets/fonts/bold.woff2": "woff2 font", "app.js":
            'import { initAll } from "/static/lib.js";\nimport "bare-name";\ninitAll();\n',
        "lib.js": "export function initAll() {}\n" * 20, "lib.js.map": "{}",
        ".copied": "",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content)
    return root


def test_references_name_the_fingerprinted_copies(static):
    names = build(static)
    assert set(names) == {"css/app.css", "css/theme.css", "css/img/crest.svg", "fonts/bold.woff",
                          "govuk/assets/fonts/bold.woff2", "app.js", "lib.js"}
    css = (static / names["css/app.css"]).read_text()
    font = names["govuk/assets/fonts/bold.woff2"].removeprefix("govuk/assets/")
    assert f"url(/assets/{font})" in css  # the prefix it was asked by
    assert f"url('/static/{names['fonts/bold.woff']}')" in css  # ../ resolved
    assert f'url("/static/{names["css/img/crest.svg"]}?v=1#shape")' in css
    assert f'@import "/static/{names["css/theme.css"]}"' in css
    assert "url(data:image/png;base64,AAAA)" in css and "url(#m)" in css
    assert "url(https://example.test/x.png)" in css
    script = (static / names["app.js"]).read_text()
    assert f'from "/static/{names["lib.js"]}"' in script and 'import "bare-name"' in script
    assert (static / "css/app.css").read_text() == CSS  # the plain file as it was
    assert json.loads((static / MANIFEST).read_text()) == names


def test_a_changed_font_gives_its_stylesheet_a_new_name(static):
    first = build(static)
    (static / "govuk/assets/fonts/bold.woff2").write_text("a new font")
    second = build(static)
    assert second["css/app.css"] != first["css/app.css"]
    assert second["css/theme.css"] == first["css/theme.css"]
    assert not (static / first["css/app.css"]).exists()  # the earlier build's copies go


def test_text_files_get_brotli_and_gzip_copies_and_fonts_none(static):
    names = build(static)
    for plain in ("css/theme.css", "lib.js"):
        for name in (plain, names[plain]):
            assert (static / f"{name}.br").is_file() and (static / f"{name}.gz").is_file()
    font = names["govuk/assets/fonts/bold.woff2"]
    assert not (static / f"{font}.br").exists() and not (static / f"{font}.gz").exists()


def test_a_reference_to_no_file_fails_the_build(static, capsys):
    (static / "css/broken.css").write_text("a { background: url(/assets/images/gone.png) }")
    with pytest.raises(BuildError, match="static/css/broken.css asks for /assets/images/gone.png"):
        build(static)
    assert main(["static_build", str(static)]) == 1
    assert "gone.png" in capsys.readouterr().err
    (static / "css/broken.css").unlink()
    assert main(["static_build", str(static)]) == 0
