"""The commands staff use to write: `portal new` (a notice or a spreadsheet to fill in) and
`portal init` (a new city's repository). They read the portal's settings and data, hand them to
the pure authoring modules (generator.authoring), and write the files those return; nothing is
ever overwritten (write.create_files)."""

from __future__ import annotations

import dataclasses
import difflib
import sys
from pathlib import Path

from generator import pipeline, records, write
from generator.authoring import notices, scaffold
from generator.cli.common import EXIT_OK, EXIT_USAGE, now_in
from generator.errors import PortalError, SettingsError
from generator.inputs import folder
from generator.inputs import settings as site_settings


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
                                now_in(settings.timezone), data, compiled, args.ocid, args.buyer)
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
    taken = {p.stem for p in (source / folder.DATA_DIR).glob("*.xlsx")}
    path = f"{folder.DATA_DIR}/{notices.unused_name('register', taken)}.xlsx"
    write.create_files(source, {path: spreadsheet.workbook(kit.release_schema, settings, now_in(settings.timezone))})
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
                              now_in(settings.timezone))
    write.create_files(args.directory, files)
    print(f"Made {len(files)} files for {city.city_name} in {args.directory}:")
    for path in sorted(files):
        print(f"  {path}")
    print(f"Next: `portal build --source {args.directory}` to see the site; push the folder to GitHub and set "
          "Settings → Pages → Source to GitHub Actions to publish it (PUBLISHING.md has the steps).")
    return EXIT_OK


