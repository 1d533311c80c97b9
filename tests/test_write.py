"""write: staged, atomic output; unchanged files are hard-linked; bad artifacts leave the old site; what a
killed build leaves is removed by the next build, never what a running build holds."""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.errors import OutputError
from generator.write import LEFTOVER_AGE, MARKER, Artifact, check_output_folder, write_site

from conftest import REPO

FIRST = [
    Artifact("index.html", b"<h1>Home</h1>"),
    Artifact("processes/ocds-aldrpt-1/index.html", b"<h1>Road salt</h1>"),
    Artifact("static/site.css", b"body{}"),
]


def beside(output: Path) -> list[str]:
    """What else is in the output's folder than the site and its spare (the site before it)."""
    return sorted(set(os.listdir(output.parent)) - {output.name, f".{output.name}.spare"})


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != MARKER.path}


@pytest.fixture
def output(tmp_path) -> Path:
    return tmp_path / "out" / "site"


def test_write_site_writes_every_file(output):
    stats = write_site(FIRST, output)
    assert tree(output) == {a.path: a.data for a in FIRST}
    assert stats.counts == {"outputs": 3, "written": 3, "unchanged": 0}
    assert os.listdir(output.parent) == ["site"]


def test_second_write_links_unchanged_files_and_writes_changed_ones(output):
    write_site(FIRST, output)
    inode = {a.path: (output / a.path).stat().st_ino for a in FIRST}
    changed = Artifact("processes/ocds-aldrpt-1/index.html", b"<h1>Road salt (amended)</h1>")
    second = [FIRST[0], changed, FIRST[2], Artifact("awards/index.html", b"<h1>Awards</h1>")]
    stats = write_site(second, output)
    assert tree(output) == {a.path: a.data for a in second}
    assert stats.counts == {"outputs": 4, "written": 2, "unchanged": 2}
    # Unchanged files are the very same files (hard links), the changed one is new.
    assert (output / "index.html").stat().st_ino == inode["index.html"]
    assert (output / "static/site.css").stat().st_ino == inode["static/site.css"]
    assert (output / changed.path).stat().st_ino != inode[changed.path]
    assert beside(output) == []
    assert tree(output.parent / ".site.spare") == {a.path: a.data for a in FIRST}, "the site before is the spare"


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
    assert beside(output) == [], "a staging or retired folder was left behind"


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


# --- what interrupted builds leave (issue 16, item 7) --------------------------------------------

# A build in its own process that stops halfway through writing (as a big build does for a while),
# saying so by creating the file named by its second argument.
HALFWAY = """
import sys, time
from pathlib import Path
from generator.write import Artifact, write_site

def stream():
    yield b"half a file"
    Path(sys.argv[2]).touch()
    time.sleep(600)

write_site([Artifact("index.html", b"new home"), Artifact("data/big.txt", stream=stream)], Path(sys.argv[1]))
"""


@contextlib.contextmanager
def build_halfway(output: Path, tmp_path: Path):
    """A build of `output` in another process, stopped halfway; killed (SIGKILL) on leaving."""
    started = tmp_path / "started"
    build = subprocess.Popen([sys.executable, "-c", HALFWAY, str(output), str(started)], cwd=REPO)
    try:
        deadline = time.monotonic() + 60
        while not started.exists():
            assert build.poll() is None and time.monotonic() < deadline, "the build in another process did not start"
            time.sleep(0.05)
        yield build
    finally:
        build.kill()
        build.wait()


def staging_folders(output: Path) -> list[Path]:
    return sorted(output.parent.glob(f".{output.name}.staging-*"))


def backdate(folder: Path) -> None:
    """Make a folder look untouched for longer than a leftover is given to be taken up."""
    then = time.time() - LEFTOVER_AGE - 5
    os.utime(folder, (then, then))


def test_a_killed_builds_staging_folder_is_removed_by_the_next_build(output, tmp_path):
    write_site(FIRST, output)
    with build_halfway(output, tmp_path):
        pass  # killed halfway: nothing of it could clean up
    [left] = staging_folders(output)
    assert (left / "data" / "big.txt").is_file()  # what it had written (its buffer died with it)
    assert tree(output) == {a.path: a.data for a in FIRST}, "the kill changed the published site"
    backdate(left)
    write_site(FIRST, output)
    assert_untouched(output)


def test_a_build_running_beside_keeps_its_staging_folder(output, tmp_path):
    write_site(FIRST, output)
    with build_halfway(output, tmp_path):
        [theirs] = staging_folders(output)
        backdate(theirs)  # old, but its build holds it
        write_site(FIRST[:2], output)
        assert (theirs / "data" / "big.txt").is_file()
        assert tree(output) == {a.path: a.data for a in FIRST[:2]}
    write_site(FIRST, output)  # its build is gone now
    assert_untouched(output)


def test_a_leftover_just_made_is_kept_until_it_is_old(output):
    write_site(FIRST, output)
    fresh = output.parent / ".site.staging-k2x_9q0z"  # as another build makes it, a moment before locking it
    fresh.mkdir()
    write_site(FIRST, output)
    assert fresh.is_dir()
    backdate(fresh)
    write_site(FIRST, output)
    assert_untouched(output)


def test_a_retired_site_held_by_its_build_is_kept_and_removed_once_let_go(output):
    write_site(FIRST, output)
    retired = output.parent / ".site.old-4242"
    retired.mkdir()
    backdate(retired)
    held = os.open(retired, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as write.folders._held does during the fallback swap
        write_site(FIRST, output)
        assert retired.is_dir()
    finally:
        os.close(held)
    write_site(FIRST, output)
    assert_untouched(output)


# Names like the ones a build of "site" leaves, but not exactly; and one that is not a folder.
LOOKALIKES = [".site.staging-abc1234", ".site.staging-abcd12345", ".site.staging-ABCD1234", ".site.staging-abcd-123",
              ".site2.staging-abcd1234", "site.staging-abcd1234", ".site.staging-abcd1234.bak", ".site.stagingabcd1234",
              ".site.old-", ".site.old-12ab", ".sit.old-1", ".other.old-4242", "._site.staging-abcd1234"]


def test_only_exactly_named_leftovers_of_this_output_are_removed(output):
    write_site(FIRST, output)
    for name in LOOKALIKES:
        (output.parent / name).mkdir()
        (output.parent / name / "keep.txt").write_text("keep")
    precious = output.parent / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("keep")
    (output.parent / ".site.old-7").symlink_to(precious)  # a link is never followed, nor removed
    (output.parent / ".site.staging-abcd1234").write_text("a file, not a folder")
    for folder in (output.parent / ".site.staging-q_1z9xk0", output.parent / ".site.old-4242"):
        (folder / "index.html").parent.mkdir()
        (folder / "index.html").write_text("half")
    for path in output.parent.iterdir():
        if path.is_dir() and not path.is_symlink():
            backdate(path)
    write_site(FIRST, output)
    assert beside(output) == sorted(["precious", ".site.old-7", ".site.staging-abcd1234", *LOOKALIKES])
    assert all((output.parent / name / "keep.txt").read_text() == "keep" for name in LOOKALIKES)
    assert (precious / "thesis.txt").read_text() == "keep"


# --- files written ahead, by another process (the bulk downloads, beside the view model) -----------

def test_files_written_ahead_are_adopted_counted_and_linked_when_unchanged(output):
    from generator.write import side_folder, stamp_of, write_files

    write_site([*FIRST, Artifact("data/a.csv", b"a,b\n")], output)
    with side_folder(output) as ahead:
        assert ahead.path.parent == output.parent and ahead.path.name.startswith(".site.staging-")
        ahead_files = write_files(ahead, output, [Artifact("data/a.csv", b"a,b\n"),
                                                  Artifact("data/big.csv", stream=lambda: iter([b"x,", b"y\n"]))])
        assert [(a.path, a.written[:2]) for a in ahead_files] == [("data/a.csv", (4, True)), ("data/big.csv", (4, False))]
        # only a keyed page's stamp is kept, and a stream's (its segments are read by the next build)
        assert [a.written[2] for a in ahead_files] == [None, stamp_of(ahead.path / "data/big.csv")]
        keyed = write_files(ahead, output, [Artifact("p.html", b"<p>", key=(b"k", ()))])
        assert keyed[0].written[2] == stamp_of(ahead.path / "p.html") and keyed[0].key == (b"k", ())
        (ahead.path / "p.html").unlink()
        done = write_site([*ahead_files, *FIRST], output, adopt=ahead)
    assert tree(output) == {**{a.path: a.data for a in FIRST}, "data/a.csv": b"a,b\n", "data/big.csv": b"x,y\n"}
    assert done.counts == {"outputs": 5, "written": 1, "unchanged": 4} and done.bytes == 4 + 4 + sum(
        len(a.data) for a in FIRST) and done.parts["data/"] == 8
    assert beside(output) == []  # the side folder is gone (it is the spare now)


def test_a_page_on_the_path_of_a_file_written_ahead_is_refused_and_the_old_site_stays(output):
    from generator.write import side_folder, write_files

    write_site(FIRST, output)
    with pytest.raises(OutputError, match="same path"), side_folder(output) as ahead:
        ahead_files = write_files(ahead, output, [Artifact("index.html", b"<h1>Data</h1>")])
        write_site([*ahead_files, *FIRST], output, adopt=ahead)
    assert tree(output) == {a.path: a.data for a in FIRST}
    assert beside(output) == []


def test_work_in_background_returns_its_result_or_raises_its_error():
    from generator.workers import in_background

    shared = {"numbers": list(range(10))}  # not pickled: the worker is forked with it
    for workers in (1, 2):
        with in_background(lambda s: (os.getpid(), sum(s["numbers"])), shared, workers) as result:
            pid, total = result()
        assert total == 45 and (pid == os.getpid()) == (workers == 1)
    with pytest.raises(ZeroDivisionError), in_background(lambda s: 1 / 0, shared, 2) as result:
        result()


def test_a_download_tally_travels_only_once_complete():
    import pickle

    from generator.publish.streams import Tally

    tally = Tally()
    tally.add(b"abc")
    with pytest.raises(RuntimeError, match="before all its bytes"):
        pickle.dumps(tally)
    tally.complete = True
    copy = pickle.loads(pickle.dumps(tally))
    assert copy.sha256 == tally.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert copy.size == 3


def test_a_file_the_previous_build_made_from_the_same_inputs_is_linked_while_its_stamp_holds(output):
    """An artifact with the previous file's stamp (a page not made again: publish.page_keys) is
    hard-linked from the previous site; if that file changed since, it is written from its stream."""
    from generator.write import stamp_of

    write_site([*FIRST, Artifact("p.html", b"<p>old</p>")], output)
    stamp = stamp_of(output / "p.html")
    done = write_site([*FIRST, Artifact("p.html", previous=stamp, stream=lambda: [b"<p>made</p>"])], output)
    assert (output / "p.html").read_bytes() == b"<p>old</p>" and stamp_of(output / "p.html") == stamp
    assert done.unchanged == len(FIRST) + 1
    (output / "p.html").write_bytes(b"<p>edited by hand</p>")  # the same inode, another size and time
    write_site([*FIRST, Artifact("p.html", previous=stamp, stream=lambda: [b"<p>made</p>"])], output)
    assert (output / "p.html").read_bytes() == b"<p>made</p>"


# --- the spare: the site before last, in which the next build makes its site -----------------------

def spare(output: Path) -> Path:
    return output.parent / f".{output.name}.spare"


def test_the_site_is_made_in_the_spare_keeping_linked_files_and_removing_what_is_not_made_again(output):
    write_site([*FIRST, Artifact("old/deep/gone.html", b"gone")], output)
    write_site([*FIRST, Artifact("old/deep/gone.html", b"gone")], output)
    assert tree(spare(output)) == tree(output)
    inode = (output / "index.html").stat().st_ino
    assert (spare(output) / "index.html").stat().st_ino == inode, "the spare's unchanged files are links"
    third = [FIRST[0], Artifact(FIRST[1].path, b"<h1>Road salt (amended)</h1>"), Artifact("new.html", b"new")]
    done = write_site(third, output)
    assert tree(output) == {a.path: a.data for a in third}
    assert done.counts == {"outputs": 3, "written": 2, "unchanged": 1}
    assert (output / "index.html").stat().st_ino == inode
    assert not (output / "old").exists() and not (output / "static").exists(), "emptied folders go too"
    assert tree(spare(output)) == {**{a.path: a.data for a in FIRST}, "old/deep/gone.html": b"gone"}
    assert beside(output) == []


def test_a_file_of_the_spare_linked_to_the_published_site_is_replaced_never_written_into(output):
    write_site(FIRST, output)
    write_site(FIRST, output)  # the spare's files are links to the published ones now

    def refuse(_):
        raise OutputError("the host's limit", hint="")

    changed = Artifact("index.html", b"<h1>Home, changed</h1>")
    with pytest.raises(OutputError):
        write_site([changed, *FIRST[1:]], output, before_swap=refuse)
    assert_untouched(output)  # made in the spare, which was not swapped in
    assert (spare(output) / "index.html").read_bytes() == changed.data
    write_site([changed, *FIRST[1:]], output)
    assert tree(output) == {a.path: a.data for a in [changed, *FIRST[1:]]}
    assert (spare(output) / "index.html").read_bytes() == FIRST[0].data


def test_a_link_left_in_the_site_is_never_followed_by_a_later_build(output, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("keep")
    write_site(FIRST, output)
    (output / "processes" / "ocds-aldrpt-2").symlink_to(precious, target_is_directory=True)
    (output / "static" / "site.css").unlink()
    (output / "static" / "site.css").symlink_to(precious / "thesis.txt")
    write_site(FIRST, output)
    later = [*FIRST, Artifact("processes/ocds-aldrpt-2/index.html", b"<h1>Two</h1>"),
             Artifact("processes/ocds-aldrpt-2/thesis.txt", b"overwritten")]
    write_site(later, output)  # made in the spare, which held the links
    assert tree(output) == {a.path: a.data for a in later}
    assert sorted(p.name for p in precious.iterdir()) == ["thesis.txt"] and (precious / "thesis.txt").read_text() == "keep"


def test_a_file_of_the_spare_where_a_folder_is_wanted_makes_way_and_so_does_a_folder(output):
    write_site([Artifact("a", b"a file"), Artifact("b/index.html", b"b")], output)
    write_site([Artifact("x.html", b"x")], output)
    write_site([Artifact("a/index.html", b"a folder now"), Artifact("b", b"a file now")], output)
    assert tree(output) == {"a/index.html": b"a folder now", "b": b"a file now"}


def test_two_paths_of_one_build_that_clash_still_fail_in_a_spare(output):
    write_site(FIRST, output)
    write_site(FIRST, output)
    with pytest.raises(OSError):
        write_site([Artifact("a", b"a file"), Artifact("a/index.html", b"and a folder")], output)
    assert_untouched(output)


def test_a_spare_another_build_holds_is_left_to_it(output):
    write_site(FIRST, output)
    write_site(FIRST, output)
    held = os.open(spare(output), os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as another build making its site there
        second = [*FIRST, Artifact("new.html", b"new")]
        write_site(second, output)
        assert tree(output) == {a.path: a.data for a in second}
        assert tree(spare(output)) == {a.path: a.data for a in FIRST}, "the other build's spare was not touched"
        assert beside(output) == []  # the build's own staging folder went
    finally:
        os.close(held)


def test_a_folder_named_like_the_spare_that_is_not_a_site_is_never_used_nor_removed(output):
    write_site(FIRST, output)
    (spare(output)).mkdir()
    (spare(output) / "notes.txt").write_text("mine")
    write_site(FIRST, output)
    write_site(FIRST, output)
    assert tree(spare(output)) == {"notes.txt": b"mine"} and tree(output) == {a.path: a.data for a in FIRST}
    assert beside(output) == []
