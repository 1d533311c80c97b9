"""write: staged, atomic output; unchanged files are hard-linked; bad artifacts leave the old site."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import OutputError
from generator.write import MARKER, Artifact, check_output_folder, write_site

FIRST = [
    Artifact("index.html", b"<h1>Home</h1>"),
    Artifact("processes/ocds-aldrpt-1/index.html", b"<h1>Road salt</h1>"),
    Artifact("static/site.css", b"body{}"),
]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != MARKER.path}


@pytest.fixture
def output(tmp_path) -> Path:
    return tmp_path / "out" / "site"


def test_write_site_writes_every_file(output):
    stats = write_site(FIRST, output)
    assert tree(output) == {a.path: a.data for a in FIRST}
    assert stats == {"outputs": 3, "written": 3, "unchanged": 0}
    assert os.listdir(output.parent) == ["site"]


def test_second_write_links_unchanged_files_and_writes_changed_ones(output):
    write_site(FIRST, output)
    inode = {a.path: (output / a.path).stat().st_ino for a in FIRST}
    changed = Artifact("processes/ocds-aldrpt-1/index.html", b"<h1>Road salt (amended)</h1>")
    second = [FIRST[0], changed, FIRST[2], Artifact("awards/index.html", b"<h1>Awards</h1>")]
    stats = write_site(second, output)
    assert tree(output) == {a.path: a.data for a in second}
    assert stats == {"outputs": 4, "written": 2, "unchanged": 2}
    # Unchanged files are the very same files (hard links), the changed one is new.
    assert (output / "index.html").stat().st_ino == inode["index.html"]
    assert (output / "static/site.css").stat().st_ino == inode["static/site.css"]
    assert (output / changed.path).stat().st_ino != inode[changed.path]
    assert os.listdir(output.parent) == ["site"]


def test_files_no_longer_produced_disappear(output):
    write_site(FIRST, output)
    write_site(FIRST[:1], output)
    assert tree(output) == {"index.html": b"<h1>Home</h1>"}


def test_same_size_different_bytes_is_rewritten(output):
    write_site([Artifact("a.txt", b"aaaa")], output)
    write_site([Artifact("a.txt", b"bbbb")], output)
    assert (output / "a.txt").read_bytes() == b"bbbb"


def assert_untouched(output: Path) -> None:
    assert tree(output) == {a.path: a.data for a in FIRST}
    assert os.listdir(output.parent) == ["site"], "a staging or retired folder was left behind"


@pytest.mark.parametrize("bad", [
    [Artifact("index.html", b"new home"), Artifact("index.html", b"other home")],
    [Artifact("a/b.html", b"1"), Artifact("c.html", b"2"), Artifact("a/b.html", b"3")],
])
def test_duplicate_paths_are_refused_and_old_site_kept(output, bad):
    write_site(FIRST, output)
    with pytest.raises(OutputError) as info:
        write_site(bad, output)
    assert bad[-1].path in info.value.message
    assert_untouched(output)


@pytest.mark.parametrize("path", ["../escape.html", "/etc/evil.html", "a/../../escape.html", ""])
def test_escaping_paths_are_refused_and_old_site_kept(output, path):
    write_site(FIRST, output)
    with pytest.raises(OutputError):
        write_site([Artifact("index.html", b"new home"), Artifact(path, b"x")], output)
    assert_untouched(output)
    assert not (output.parent / "escape.html").exists()
    assert not (output.parent.parent / "escape.html").exists()


def test_failure_while_writing_leaves_no_staging_folder(output):
    write_site(FIRST, output)

    def artifacts():
        yield Artifact("index.html", b"new home")
        raise RuntimeError("a producer failed")

    with pytest.raises(RuntimeError):
        write_site(artifacts(), output)
    assert_untouched(output)


def test_check_output_folder_refuses_the_source_folder(tmp_path):
    source = tmp_path / "city"
    source.mkdir()
    with pytest.raises(OutputError) as info:
        check_output_folder(source, source)
    assert info.value.hint
    with pytest.raises(OutputError):
        check_output_folder(source, source / "sub" / "..")


def test_check_output_folder_refuses_a_folder_containing_the_source(tmp_path):
    source = tmp_path / "city"
    source.mkdir()
    with pytest.raises(OutputError):
        check_output_folder(source, tmp_path)
    with pytest.raises(OutputError):
        check_output_folder(source / "nested", tmp_path)


def test_check_output_folder_refuses_a_file(tmp_path):
    source = tmp_path / "city"
    source.mkdir()
    (tmp_path / "site").write_text("not a folder")
    with pytest.raises(OutputError):
        check_output_folder(source, tmp_path / "site")


def test_check_output_folder_accepts_a_folder_inside_or_beside_the_source(tmp_path):
    source = tmp_path / "city"
    source.mkdir()
    check_output_folder(source, source / "_site")
    check_output_folder(source, tmp_path / "site")


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path):
    source, precious = tmp_path / "src", tmp_path / "precious"
    source.mkdir()
    precious.mkdir()
    (precious / "thesis.txt").write_text("keep")
    with pytest.raises(OutputError, match="not built by this generator"):
        check_output_folder(source, precious)
    check_output_folder(source, tmp_path / "new")  # a folder that does not exist yet is fine
    write_site(FIRST, tmp_path / "built")
    check_output_folder(source, tmp_path / "built")  # a site this generator built may be replaced


@pytest.mark.parametrize("inside", ["ocds_data", "content", "site_templates", "ocds_data/2026", "schema"])
def test_refuses_an_output_inside_the_inputs(tmp_path, inside):
    source = tmp_path / "src"
    (source / "ocds_data").mkdir(parents=True)
    with pytest.raises(OutputError, match="holds the portal's inputs"):
        check_output_folder(source, source / inside, protected=[source / "schema"])
    check_output_folder(source, source / "_site", protected=[source / "schema"])


def test_streamed_artifacts_are_written_chunk_by_chunk_before_the_next_is_asked_for(output):
    made = []

    def chunks():
        for n in range(3):
            made.append(n)
            yield f"part {n};".encode()

    def artifacts():
        yield Artifact("data/big.txt", stream=chunks)
        assert made == [0, 1, 2], "the stream was written whole before the next artifact was asked for"
        yield Artifact("index.html", b"home")

    write_site(artifacts(), output)
    assert (output / "data" / "big.txt").read_bytes() == b"part 0;part 1;part 2;"
    assert (output / "index.html").read_bytes() == b"home"


def test_a_stream_that_fails_midway_leaves_the_old_site(output):
    write_site(FIRST, output)

    def broken():
        yield b"half a file"
        raise RuntimeError("the bulk stage failed")

    with pytest.raises(RuntimeError):
        write_site([Artifact("index.html", b"new home"), Artifact("data/big.txt", stream=broken)], output)
    assert_untouched(output)
    assert not (output / "data").exists()
