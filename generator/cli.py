"""The command line: the only module that prints and chooses exit codes.

    portal build  [--source DIR] [--output DIR] [--base-url URL] [--today YYYY-MM-DD]
    portal check  [--source DIR] [--format text|json|github]
    portal serve  [--source DIR] [--output DIR] [--port N]
    portal schema fetch [--into DIR]
    portal new opportunity|addendum|award [--ocid OCID] [--buyer ID] [--source DIR]
    portal init DIR [--city-name NAME] [--ocid-prefix PREFIX] [--timezone ZONE] [--currency CODE]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import difflib
import functools
import http.server
import os
import sys
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

from generator import __version__, pipeline, records, write
from generator.authoring import notices, scaffold
from generator.checking.policy import Policy, in_files
from generator.checking.problem_text import as_github, as_json, as_text
from generator.errors import PortalError, Problem, SettingsError
from generator.inputs import folder, schema_kit
from generator.inputs import settings as site_settings
from generator.report import BuildFailed
from generator.values import visible
from generator.wording import counted

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
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
          f"{counted(c['written'], 'file')} written, {c['unchanged']:,} unchanged, "
          f"{counted(len(report.errors), 'error')}, {counted(len(report.warnings), 'warning')}, "
          f"in {report.seconds:.1f} s → {_output(args)}")
    print("Seconds by stage: " + ", ".join(f"{k} {v:.1f}" for k, v in report.timings.items()))
    for shard in report.shards:
        print(f"Search shard {shard.path}: {shard.documents:,} documents, {shard.size / 1024:,.1f} KB, "
              f"{shard.gzipped / 1024:,.1f} KB gzipped")
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
    return _now(settings.timezone).date()


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


def _now(timezone: str) -> dt.datetime:
    """Now in the city's time zone, to the minute: a notice's date."""
    return dt.datetime.now(ZoneInfo(timezone)).replace(second=0, microsecond=0)


def cmd_new(args) -> int:
    settings = pipeline.settings_for(args.source)
    kit, _ = folder.read_kit(settings, args.source)
    if args.kind == "spreadsheet":
        return _new_spreadsheet(args.source, settings, kit)
    data_files, _ = folder.read_data_files(args.source, None, kit.release_schema, settings.timezone)  # `portal check` reports reading problems
    data = notices.survey(folder.iter_releases(data_files))
    compiled = None
    if args.kind != "opportunity" and args.ocid is not None:
        if args.ocid not in data.processes:
            close = difflib.get_close_matches(args.ocid, list(data.processes), n=3)
            raise PortalError(f"No process with the ocid {args.ocid!r} is in {folder.DATA_DIR}/.",
                              hint=(f"Did you mean {' or '.join(close)}? " if close else "")
                              + "Each opportunity's page shows its ocid; `portal new opportunity` starts a new one.")
        record, problems = records.compile_one(args.ocid, data.processes[args.ocid],
                                               records.make_merger(kit.release_schema))
        if record is None:
            raise PortalError(problems[0].message, hint=problems[0].hint)
        compiled = record.compiled
    if args.title is not None and args.kind != "opportunity":
        raise PortalError(f"--title is for a new opportunity; {_a(args.kind)} takes its title from its process.",
                          hint=f"Leave out --title: `portal new {args.kind} --ocid OCID`.")
    notice = notices.new_notice(args.kind, folder.package_texts("notice_templates"), settings, kit.release_schema,
                                _now(settings.timezone), data, compiled, args.ocid, args.buyer)
    if args.title is not None and args.title.strip():
        notice = dataclasses.replace(notice, text=notices.fill(notice.text, {"/tender/title": " ".join(args.title.split())}))
    write.create_files(args.source, {notice.path: notice.text})
    lines = [b.line for b in notice.blanks]
    print(f"Wrote {args.source / notice.path} ({notice.ocid}).")
    if lines:
        shown = ", ".join(map(str, lines[:12])) + (", …" if len(lines) > 12 else "")
        print(f"Fill in its {len(lines)} blanks marked FILL IN (lines {shown}); then run `portal check`.")
    print("PUBLISHING.md explains each field and how to publish.")
    return EXIT_OK


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _new_spreadsheet(source: Path, settings, kit) -> int:
    from generator.authoring import spreadsheet  # flattentool and openpyxl load only when needed
    taken = {p.name for p in (source / folder.DATA_DIR).glob("*")} if (source / folder.DATA_DIR).is_dir() else set()
    name = next(f"register{n}.xlsx" for n in ("", *(f"-{i}" for i in range(2, 1000))) if f"register{n}.xlsx" not in taken)
    path = f"{folder.DATA_DIR}/{name}"
    write.create_files(source, {path: spreadsheet.workbook(kit.release_schema, settings, _now(settings.timezone))})
    print(f"Wrote {source / path}: a workbook for this city's notices, one row per notice on the sheet \"main\".")
    print("Its first sheet, Instructions, says what goes in each column; rename the file as you like (keep .xlsx), "
          "fill it in, and run `portal check`: it names the sheet, row and column of anything wrong.")
    return EXIT_OK


INIT_QUESTIONS = (  # (argument, question, default)
    ("city_name", "The city's name, as residents know it", None),
    ("ocid_prefix", "Its OCID prefix, registered with the Open Contracting Partnership (ocds- and 6 letters or digits)", None),
    ("timezone", "Its time zone (IANA name, e.g. America/Chicago)", "UTC"),
    ("currency", "Its currency (ISO 4217)", "USD"),
)


def cmd_init(args) -> int:
    answers = {}
    for name, question, default in INIT_QUESTIONS:
        value = getattr(args, name)
        if value is None and sys.stdin.isatty():
            shown = f" [{default}]" if default else ""
            value = input(f"{question}{shown}: ").strip() or default
        if value is None and default is None:
            print(f"error: `portal init` needs --{name.replace('_', '-')} (or run it on a terminal to be asked).",
                  file=sys.stderr)
            return EXIT_USAGE
        answers[name] = value if value is not None else default
    city = scaffold.City(**answers, requirement=args.requirement)
    templates = folder.package_texts("scaffold")
    site_yml = scaffold.settings_text(templates, city)
    try:
        settings = site_settings.parse_settings(site_yml)
    except SettingsError as exc:
        raise SettingsError("These answers don't make valid settings:\n" + "\n".join(
            f"  {p.location.pointer.lstrip('/')}: {p.message}" for p in exc.problems),
            hint="Run `portal init` again with the values corrected.") from None
    kit, _ = folder.read_kit(settings, args.directory)
    files = scaffold.new_city(templates, folder.package_texts("notice_templates"), city, settings, kit.release_schema,
                              _now(settings.timezone))
    write.create_files(args.directory, files)
    print(f"Made {len(files)} files for {city.city_name} in {args.directory}:")
    for path in sorted(files):
        print(f"  {path}")
    print(f"Next: `portal build --source {args.directory}` to see the site; push the folder to GitHub and set "
          "Settings → Pages → Source to GitHub Actions to publish it (PUBLISHING.md has the steps).")
    return EXIT_OK


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


