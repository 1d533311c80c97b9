"""The command line: the only module that prints and chooses exit codes.

    portal build  [--source DIR] [--output DIR] [--base-url URL] [--today YYYY-MM-DD]
    portal check  [--source DIR] [--format text|json|github]
    portal serve  [--source DIR] [--output DIR] [--port N]
    portal schema fetch [--into DIR]
    portal new opportunity|addendum|award|contract|spreadsheet [--ocid OCID] [--buyer ID] [--title TEXT]
               [--source DIR]
    portal init DIR [--city-name NAME] [--ocid-prefix PREFIX] [--timezone ZONE] [--currency CODE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import os
import sys
import threading
from pathlib import Path

from generator import __version__, pipeline
from generator.authoring import notices
from generator.checking.policy import Policy, in_files
from generator.checking.problem_text import as_github, as_json, as_text
from generator.cli.common import EXIT_DATA, EXIT_OK, now_in
from generator.cli.staff import cmd_init, cmd_new
from generator.errors import PortalError, Problem
from generator.inputs import folder, schema_kit
from generator.publish import search
from generator.report import BuildFailed
from generator.values import visible
from generator.wording import counted

FORMATS = ["text", "json", "github"]


class Progress:
    """On a terminal, one line rewritten in place; elsewhere (CI, logs), plain lines at milestones."""

    def __init__(self, stream=None):
        self.stream = stream = stream or sys.stderr
        self.tty = stream.isatty() and not os.environ.get("CI")
        self.last: dict[str, int] = {}

    def __call__(self, what: str, done: int, total: int) -> None:
        if self.tty:
            self.stream.write(f"\r\033[K{what}: {done:,}/{total:,}")
            if done == total:
                self.stream.write("\n")
            self.stream.flush()
            return
        step = max(total // 4, 1)
        if done == total or done // step > self.last.get(what, 0) // step:
            self.stream.write(f"{what}: {done:,}/{total:,}\n")
        self.last[what] = done


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; write it as YYYY-MM-DD") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="portal", description="Build an open contracting website from OCDS data.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def common(cmd):
        cmd.add_argument("--source", type=Path, default=Path("."),
                         help="the portal's folder, holding ocds_data/ and content/ (default: current folder)")

    b = sub.add_parser("build", help="validate the data and build the site")
    common(b)
    b.add_argument("--output", type=Path, default=None, help="where to write the site (default: SOURCE/_site)")
    b.add_argument("--base-url", default=None, help="the URL the site is served from (overrides site.yml)")
    b.add_argument("--today", type=_date, default=None, help="build as of this day, YYYY-MM-DD (overrides site.yml)")
    b.add_argument("--format", choices=FORMATS, default="text", help="how to print problems (as for check)")
    b.add_argument("--strict", action="store_true", help="warnings fail the build too")
    b.add_argument("--keep-going", action="store_true",
                   help="publish even when a file can't be read at all (by default that stops the build, as "
                        "the processes it held would vanish from the site)")

    c = sub.add_parser("check", help="load and validate only; writes nothing")
    common(c)
    c.add_argument("--format", choices=FORMATS, default="text",
                   help="text for people, json for programs, github for pull-request annotations")
    c.add_argument("--strict", action="store_true", help="warnings fail the check too")
    c.add_argument("--changed-since", metavar="REF", default=None,
                   help="report only problems in files changed since the branch left REF (a git branch or "
                        "commit, e.g. origin/main): what a pull request is answerable for")

    s = sub.add_parser("serve", help="build, serve on 127.0.0.1, and rebuild when files change")
    common(s)
    s.add_argument("--output", type=Path, default=None)
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--today", type=_date, default=None)

    n = sub.add_parser("new", help="write a notice to fill in (a new opportunity, an addendum, an award or a "
                                   "contract), or a spreadsheet to keep notices in")
    n.add_argument("kind", choices=(*notices.KINDS, "spreadsheet"))
    common(n)
    n.add_argument("--ocid", default=None,
                   help="the process's ocid (needed for an addendum, an award or a contract; a new opportunity gets the next free one)")
    n.add_argument("--buyer", default=None,
                   help="for an opportunity: the id of a department already in the data, to fill in its name and contact")
    n.add_argument("--title", default=None, help="for an opportunity: its title, filled in")

    i = sub.add_parser("init", help="start a new city's repository in DIR, ready to build and publish")
    i.add_argument("directory", type=Path, help="a new or empty folder")
    i.add_argument("--city-name", default=None, help="the city's name, as residents know it")
    i.add_argument("--ocid-prefix", default=None, help="the city's registered OCID prefix, e.g. ocds-abc123")
    i.add_argument("--timezone", default=None, help="the city's IANA time zone, e.g. America/Chicago (default UTC)")
    i.add_argument("--currency", default=None, help="the city's currency, ISO 4217 (default USD)")
    i.add_argument("--requirement", default=f"ocds-portal=={__version__}",
                   help="how the city's requirements.txt names this generator (default: %(default)s)")

    k = sub.add_parser("schema", help="the OCDS schema kit")
    ksub = k.add_subparsers(dest="schema_command", required=True)
    f = ksub.add_parser("fetch", help="download the pinned OCDS schema files into the cache or a folder")
    common(f)
    f.add_argument("--into", type=Path, default=None, help="a folder to fill instead of the user cache")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "build":
            return cmd_build(args)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "serve":
            return cmd_serve(args)
        if args.command == "new":
            return cmd_new(args)
        if args.command == "init":
            return cmd_init(args)
        return cmd_schema_fetch(args)
    except BuildFailed as exc:
        report = exc.report
        emit_problems(report.problems, getattr(args, "format", "text"), _folder(args))
        _fail(exc)
        print(f"Build failed: {counted(len(report.errors), 'error')}, {counted(len(report.warnings), 'warning')} in "
              f"{counted(report.counts.get('releases', 0), 'release')}, {report.seconds:.1f} s; nothing was written.",
              file=sys.stderr)
        return EXIT_DATA
    except PortalError as exc:
        if exc.problems:
            emit_problems(list(exc.problems), getattr(args, "format", "text"), _folder(args))
        _fail(exc)
        return EXIT_DATA
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        print("  what to do: check that the folders exist and can be written, then try again.", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        return 130


def _fail(exc: PortalError) -> None:
    print(f"error: {exc.message}", file=sys.stderr)
    if exc.hint:
        print(f"  what to do: {exc.hint}", file=sys.stderr)


def _output(args) -> Path:
    return args.output if args.output is not None else args.source / "_site"


def print_shards(shards) -> None:
    """Each index shard on a line; the references files (one per 1,000 references: hundreds for a
    big city) on one line together, with the largest."""
    references = [s for s in shards if s.name.startswith(search.REFERENCES)]
    for shard in shards:
        if not shard.name.startswith(search.REFERENCES):
            print(f"Search shard {shard.path}: {shard.documents:,} documents, {shard.size / 1024:,.1f} KB, "
                  f"{shard.gzipped / 1024:,.1f} KB gzipped")
    if references:
        largest = max(references, key=lambda s: s.size)
        print(f"Search references: {counted(len(references), 'file')} ({references[0].path}"
              f"{' to ' + references[-1].path if len(references) > 1 else ''}), "
              f"{sum(s.size for s in references) / 1024:,.1f} KB, {sum(s.gzipped for s in references) / 1024:,.1f} KB "
              f"gzipped; the largest {largest.path}, {largest.size / 1024:,.1f} KB")


def cmd_build(args) -> int:
    settings = pipeline.settings_for(args.source, args.base_url, args.today)
    report = pipeline.build(args.source, _output(args), settings, city_today(settings), Progress(),
                         Policy(strict=args.strict, keep_going=args.keep_going))
    emit_problems(report.problems, args.format, _folder(args))
    c = report.counts
    by_language = report.pages_by_language
    languages = (" (" + ", ".join(f"{n:,} in {code}" for code, n in by_language.items()) + ")"
                 if len(by_language) > 1 else "")
    print(f"Built {counted(c['pages'], 'page')}{languages} for {counted(c['processes'], 'process', 'processes')} "
          f"from {counted(c['releases'], 'release')} in {counted(c['files'], 'file')}: "
          f"{counted(c['written'], 'file')} written, {c['unchanged']:,} unchanged"
          + (f" ({counted(c['pages reused'], 'page')} not made again)" if c.get("pages reused") else "") + ", "
          f"{counted(len(report.errors), 'error')}, {counted(len(report.warnings), 'warning')}, "
          f"in {report.seconds:.1f} s → {_output(args)}")
    print("Seconds by stage: " + ", ".join(f"{k} {v:.1f}" for k, v in report.timings.items()))
    print_shards(report.shards)
    if report.downloads:
        packages = "; ".join(f"{d.path} {d.size / 2**20:,.1f} MiB ({counted(d.count, d.unit[:-1], d.unit)})"
                             for d in report.downloads
                             if d.kind in ("release-package", "record-package"))
        print(f"Bulk data: {len(report.downloads)} files, {sum(d.size for d in report.downloads) / 2**20:,.1f} MiB "
              f"in all" + (f"; {packages}" if packages else ""))
    noted = c.get("processes with notes", 0)
    if noted:
        print(f"Published {counted(noted, 'process', 'processes')} with data-quality notes on their pages (problems in their data "
              "that do not make the page wrong).", file=sys.stderr)
    if report.left_out:
        shown = ", ".join(visible(o, 100) for o in report.left_out[:20]) + (", …" if len(report.left_out) > 20 else "")
        print(f"Left out {counted(len(report.left_out), 'process', 'processes')} whose data would make their page wrong (the data-quality "
              f"page lists them): {shown}", file=sys.stderr)
    return EXIT_OK


def city_today(settings) -> dt.date:
    """Today in the city's time zone: a CI runner on UTC must not build tomorrow's site at night."""
    return now_in(settings.timezone).date()


def cmd_check(args) -> int:
    settings = pipeline.settings_for(args.source)
    _, report = pipeline.check(args.source, settings, Progress(), today=city_today(settings))
    problems, elsewhere = report.problems, []
    if args.changed_since is not None:
        # A change answers for every problem in the files it touches, warnings included (a warning
        # there is usually a mistake just made); older problems elsewhere are only annotated.
        problems, elsewhere = in_files(problems, folder.changed_files(args.source, args.changed_since))
        if args.format == "github":
            sys.stdout.write(as_github(elsewhere, _folder(args), level="warning"))
    emit_problems(problems, args.format, _folder(args))
    c = report.counts
    errors = sum(p.is_error for p in problems)
    print(f"Checked {counted(c['releases'], 'release')} in {counted(c['files'], 'file')}: "
          f"{counted(errors, 'error')}, {counted(len(problems) - errors, 'warning')}, "
          f"in {report.seconds:.1f} s", file=sys.stderr)
    if args.changed_since is not None:
        if elsewhere:
            print(f"{counted(len(elsewhere), 'problem')} in files not changed since {args.changed_since} "
                  "were not counted; `portal check` without --changed-since lists them.", file=sys.stderr)
        return EXIT_DATA if problems else EXIT_OK
    return EXIT_DATA if errors or (args.strict and problems) else EXIT_OK


def _folder(args) -> str:
    """The portal's folder relative to the current one ("" when it is the current one): GitHub
    places an annotation by its path from the repository's root, where workflows run."""
    source = getattr(args, "source", None)
    if source is None:
        return ""
    relative = os.path.relpath(Path(source).resolve(), Path.cwd())
    return "" if relative == "." or relative.startswith("..") else Path(relative).as_posix() + "/"


def emit_problems(problems: list[Problem], fmt: str = "text", folder: str = "") -> None:
    """Problems for a person (on stderr, in colour on a terminal), a program or GitHub (on stdout).
    For GitHub, files are named from the current folder (`folder` is the portal's within it)."""
    if fmt == "json":
        sys.stdout.write(as_json(problems))
    elif fmt == "github":
        sys.stdout.write(as_github(problems, folder))
    elif problems:
        colour = sys.stderr.isatty() and not os.environ.get("NO_COLOR") and not os.environ.get("CI")
        sys.stderr.write(as_text(problems, colour=colour))


def cmd_schema_fetch(args) -> int:
    settings = pipeline.settings_for(args.source) if (args.source / "content/site.yml").is_file() else None
    extensions = schema_kit.resolve_extensions(settings.extensions) if settings else ()
    if not extensions:
        extensions = schema_kit.resolve_extensions(
            f"https://raw.githubusercontent.com/open-contracting-extensions/{v['repository'].rsplit('/', 1)[-1]}/master/extension.json"
            for v in schema_kit.load_pins()["extensions"].values())
    target = args.into or schema_kit.user_cache_dir()
    files = schema_kit.fetch_into(target, schema_kit.required_pins(extensions))
    print(f"{len(files)} OCDS schema files verified in {target}")
    return EXIT_OK


def cmd_serve(args) -> int:
    import watchfiles

    output = _output(args)

    def rebuild() -> None:
        try:
            settings = pipeline.settings_for(args.source, f"http://127.0.0.1:{args.port}/", args.today)
            report = pipeline.build(args.source, output, settings, city_today(settings), Progress())
            emit_problems(report.problems)
            print(f"Built {report.counts['pages']:,} pages in {report.seconds:.1f} s", file=sys.stderr)
        except BuildFailed as exc:
            emit_problems(exc.report.problems)
            _fail(exc)
        except PortalError as exc:
            _fail(exc)

    rebuild()
    handler = functools.partial(_QuietHandler, directory=str(output.resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {output} at http://127.0.0.1:{args.port}/ (Ctrl+C to stop)", file=sys.stderr)
    watched = [str(args.source / d) for d in (folder.DATA_DIR, folder.CONTENT_DIR, folder.TEMPLATES_DIR)
               if (args.source / d).is_dir()]
    try:
        for _changes in watchfiles.watch(*watched):
            print("Change detected; rebuilding…", file=sys.stderr)
            rebuild()
    finally:
        server.shutdown()
    return EXIT_OK


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site as a static host would: quietly, with the site's own 404 page."""

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


