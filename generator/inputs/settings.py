"""Settings from content/site.yml, checked against the JSON Schema shipped in this package.

`parse_settings` takes the file's text (the `load` stage reads it) and returns `Settings` or
raises `SettingsError` listing every bad or unknown key at once, each with its path and line.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema
import yaml

from generator.errors import Location, SettingsError, error, json_pointer
from generator.inputs import catalogues, emergency_settings, localized, performance_settings, yaml_errors
from generator.inputs.emergency_settings import EmergencySettings
from generator.inputs.performance_settings import PerformanceSettings
from generator.inputs.yaml_text import YAMLLimitError, compose_yaml, load_yaml
from generator.routes import WEB_ADDRESS, SiteURL
from generator.values import mailto, tel

SETTINGS_FILE = "content/site.yml"


@dataclass(frozen=True)
class NavItem:
    title: str
    page: str = ""
    url: str = ""


@dataclass(frozen=True)
class SiteContact:
    """Whom to ask: the city's (settings `contact`) or a process's (site.parties.contact_of)."""
    name: str = ""
    email: str = ""
    telephone: str = ""
    address: str = ""
    url: str = ""  # only http(s) URLs are kept

    @property
    def mailto(self) -> str:
        """A mailto: link for a plausible address, else "" (the address is then shown as text)."""
        return mailto(self.email)

    @property
    def tel(self) -> str:
        """A tel: link for a plausible number, else "" (the number is then shown as text)."""
        return tel(self.telephone)

    def __bool__(self) -> bool:
        return any((self.name, self.email, self.telephone, self.url, self.address))


@dataclass(frozen=True)
class Registration:
    """How a business registers as a vendor before it can bid: a link and one sentence."""
    url: str
    text: str


@dataclass(frozen=True)
class CertificationProgram:
    """One of the city's business certification programs, as the city explains it."""
    abbreviation: str
    name: str
    explanation: str
    apply_url: str = ""
    codes: tuple[str, ...] = ()  # the ids the data gives it in a certification scheme

    @property
    def ids(self) -> tuple[str, ...]:
        return self.codes or (self.abbreviation,)


@dataclass(frozen=True)
class CooperativeProgram:
    """A cooperative purchasing program whose contracts the city buys through: the scheme its data
    numbers them in (relatedProcesses[].scheme), who runs it and its web site."""
    scheme: str
    name: str
    url: str = ""


FEED_FIELD = "{feed}"  # where a feed's address goes in the `alerts` service's link


@dataclass(frozen=True)
class EmailAlerts:
    """An RSS-to-email service the city already uses (setting `alerts`): its name, and the link that
    subscribes a visitor to one feed, with {feed} where the feed's full address goes."""

    service: str
    subscribe_url: str

    def link(self, feed_url: str) -> str:
        """The service's link for the feed at `feed_url` (an absolute address), URL-encoded into the template."""
        return self.subscribe_url.replace(FEED_FIELD, quote(feed_url, safe=""))


def is_alert_template(value: str) -> bool:
    """An http(s) address with {feed} after its host."""
    return bool(WEB_ADDRESS.match(value)) and FEED_FIELD in value and FEED_FIELD not in urlsplit(value).netloc


MB = 1_000_000  # host limits are given in MB, as hosts state them


@dataclass(frozen=True)
class Host:
    """Where the site is published, and the largest site and file it takes, in bytes (None: no
    limit). The default is GitHub Pages: a published site of at most 1 GB, no file over 100 MB."""

    name: str = "GitHub Pages"
    site_limit: int | None = 1000 * MB
    file_limit: int | None = 100 * MB


def _host(data: dict | None) -> Host:
    """site.yml's `host`; a key left out keeps its default, null means no limit."""
    default = Host()
    data = data or {}

    def limit(key: str, fallback: int | None) -> int | None:
        return fallback if key not in data else None if data[key] is None else round(data[key] * MB)
    return Host(data.get("name", default.name), limit("site_limit_mb", default.site_limit),
                limit("file_limit_mb", default.file_limit))


@dataclass(frozen=True)
class Settings:
    city_name: str
    ocid_prefixes: tuple[str, ...]  # the city's OCID prefixes; none: ocids are not checked (legacy data)
    publisher_name: str
    publisher_uri: str = ""
    publisher_scheme: str = ""  # with publisher_uid: the publisher's registered identifier (OCDS package publisher)
    publisher_uid: str = ""
    base_url: SiteURL = SiteURL()  # where the site is served; text given here is parsed into a SiteURL
    license: str = ""
    publication_policy: str = ""
    timezone: str = "UTC"
    currency: str = "USD"
    contact: SiteContact = field(default_factory=SiteContact)
    languages: tuple[str, ...] = ("en",)
    navigation: tuple[NavItem, ...] = ()
    extensions: tuple[str, ...] = ()
    today: dt.date | None = None
    schema_dir: str = ""
    page_size: int = 50
    host: Host = field(default_factory=Host)  # for the build's warning when the site outgrows it
    process_records: str = "linked"  # each process's record.json: its releases as links ("linked") or whole ("full")
    local_codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    certification_schemes: tuple[str, ...] = ()
    certification_programs: tuple[CertificationProgram, ...] = ()
    bid_submission_url: str = ""  # the city's e-bidding system
    vendor_registration: Registration | None = None
    alerts: EmailAlerts | None = None  # an RSS-to-email service: "Email me new bids like these"
    cooperative_programs: tuple[CooperativeProgram, ...] = ()
    emergency: EmergencySettings = field(default_factory=EmergencySettings)  # storms and federal reimbursement
    performance: PerformanceSettings = field(default_factory=PerformanceSettings)  # the performance page's thresholds

    def __post_init__(self) -> None:
        if not isinstance(self.base_url, SiteURL):  # the one place a base URL is parsed and normalised
            object.__setattr__(self, "base_url", SiteURL.parse(self.base_url))

    @property
    def ocid_prefix(self) -> str:
        """The prefix new ocids get (the first one), or "" when none is set."""
        return self.ocid_prefixes[0] if self.ocid_prefixes else ""

    def email_alert(self, feed: str) -> str:
        """The link that subscribes a visitor by email to the feed at output path `feed`, through the
        city's service; "" without one, or without a base URL (the service needs the feed's full address)."""
        return self.alerts.link(self.base_url.absolute(feed)) if feed and self.alerts and self.base_url else ""

    def cooperative_program(self, scheme: str) -> CooperativeProgram | None:
        """The program whose contracts are numbered in `scheme` (case aside), or None."""
        folded = scheme.casefold()
        return next((p for p in self.cooperative_programs if p.scheme.casefold() == folded), None) if scheme else None

    def in_language(self, code: str) -> Settings:
        """The settings as a page in language `code` shows them: each text given per language
        (localized.Text) in that language."""
        return localized.localize(self, code)

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with the given settings replaced; `None` values leave a setting as it is."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


DEFAULT_NAVIGATION = (
    NavItem("Opportunities", page="opportunities"),
    NavItem("Awards", page="awards"),
    NavItem("Where the money goes", page="spending"),
    NavItem("Departments", page="buyers"),
    NavItem("Suppliers", page="suppliers"),
    NavItem("Guides", page="guides"),
)


def settings_schema() -> dict:
    text = resources.files("generator").joinpath("settings-schema.json").read_text("utf-8")
    return json.loads(text)


def parse_settings(text: str, filename: str = SETTINGS_FILE) -> Settings:
    try:
        root = compose_yaml(text)
        data = load_yaml(text)
    except YAMLLimitError as exc:
        raise SettingsError(f"{filename}:{exc.problem_mark.line + 1}: {exc.problem}.", hint=exc.hint) from None
    except yaml.YAMLError as exc:
        message, line, hint = yaml_errors.plain(exc, text)
        raise SettingsError(f"{filename}:{line or '?'}: {message}", hint=hint) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SettingsError(f"{filename}: the settings must be a mapping of keys to values.",
                            hint="See the settings reference in README.md.")
    validator = jsonschema.Draft7Validator(settings_schema(), format_checker=jsonschema.FormatChecker())
    problems = []
    for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        for path, message in _explain(err):
            problems.append(error("settings-invalid", message,
                                  Location(filename, _line_of(root, path), pointer=json_pointer(path))))
    try:
        SiteURL.parse(data.get("base_url") if isinstance(data.get("base_url"), str) else None)
    except ValueError as exc:
        problems.append(error("settings-invalid", f"{exc}, such as https://example.github.io/contracts/",
                              Location(filename, _line_of(root, ["base_url"]), pointer="/base_url")))
    timezone = data.get("timezone")
    if isinstance(timezone, str) and timezone and not _known_timezone(timezone):
        problems.append(error("settings-invalid", f"{timezone!r} is not a time zone name such as America/Chicago",
                              Location(filename, _line_of(root, ["timezone"]), pointer="/timezone")))
    for index, language in enumerate(data.get("languages") or []):
        if isinstance(language, str) and catalogues.catalogue_name(language) == "":
            problems.append(error(
                "settings-invalid", f"there is no translation of the site into {language!r} yet "
                f"(available: {', '.join(catalogues.available())})",
                Location(filename, _line_of(root, ["languages", index]), pointer=f"/languages/{index}")))
    alerts = data.get("alerts")
    template = alerts.get("subscribe_url") if isinstance(alerts, dict) else None
    if isinstance(template, str) and not is_alert_template(template):
        problems.append(error(
            "settings-invalid", f"alerts.subscribe_url {template!r} must be a web address starting with https:// "
            f"(or http://) with {FEED_FIELD} where the feed's address goes, "
            f"e.g. https://alerts.example.com/subscribe?url={FEED_FIELD}",
            Location(filename, _line_of(root, ["alerts", "subscribe_url"]), pointer="/alerts/subscribe_url")))
    for path, message in emergency_settings.problems(data.get("emergency")):
        problems.append(error("settings-invalid", message, Location(filename, _line_of(root, path), pointer=json_pointer(path))))
    problems.sort(key=lambda p: (p.location.line or 0, p.location.pointer))
    if problems:
        lines = [f"{p.location.file}:{p.location.line}: {p.location.pointer or '/'}: {p.message}"
                 for p in problems]
        raise SettingsError(
            f"{len(problems)} problem(s) in {filename}:\n" + "\n".join("  " + x for x in lines),
            hint="Fix each key listed; README.md has the settings reference.",
            problems=tuple(problems),
        )
    return _to_settings(data)


def _explain(err: jsonschema.ValidationError) -> list[tuple[list, str]]:
    """(path, plain message) pairs for one schema error; an unknown key is named at its own line."""
    path = list(err.absolute_path)
    if err.validator == "additionalProperties":
        known = ", ".join(sorted(err.schema.get("properties", {})))
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})), key=str)
        return [(path + [key], f"unknown key {key!r} (known keys here: {known})") for key in extra]
    return [(path, _message(err))]


def _message(err: jsonschema.ValidationError) -> str:
    if err.validator == "required":
        return err.message.replace("is a required property", "is required but missing")
    if err.validator == "pattern" and "https?" in err.validator_value:
        return f"{err.instance!r} must be a URL starting with http:// or https://"
    if err.validator == "pattern" and err.validator_value.startswith("^ocds-"):
        return f"{err.instance!r} is not an OCID prefix: it looks like ocds-abc123 (ocds- and six letters or digits)"
    if err.validator == "oneOf" and err.schema == settings_schema()["definitions"]["text"]:
        return (f"{err.instance!r} must be a text, or one text per language by language tag, "
                "such as {en: City of Alderport, es: Ciudad de Alderport}")
    if err.validator == "format" and err.validator_value == "date":
        return f"{err.instance!r} is not a date: write it as YYYY-MM-DD"
    return err.message


def _known_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _line_of(node, path) -> int | None:
    """1-based line of the YAML node at `path` (or of its nearest existing parent)."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == key:
                    child = v
                    line = k.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


def _to_settings(data: dict) -> Settings:
    languages = tuple(data.get("languages") or ("en",))

    def words(value):  # a text setting, in one language or in several (localized.Text)
        return localized.text(value, languages)

    def texts(entry: dict | None, *keys: str) -> dict:
        return {k: words(v) if k in keys else v for k, v in (entry or {}).items()}

    publisher = data["publisher"]
    navigation = tuple(NavItem(words(n["title"]), n.get("page", ""), n.get("url", ""))
                       for n in data.get("navigation") or ()) or DEFAULT_NAVIGATION
    today = data.get("today")
    return Settings(
        city_name=words(data["city_name"]),
        ocid_prefixes=_prefixes(data.get("ocid_prefix")),
        publisher_name=words(publisher["name"]),
        publisher_uri=publisher.get("uri", ""),
        publisher_scheme=publisher.get("scheme", ""),
        publisher_uid=publisher.get("uid", ""),
        base_url=data.get("base_url") or "",
        license=data.get("license") or "",
        publication_policy=data.get("publication_policy") or "",
        timezone=data.get("timezone") or "UTC",
        currency=data.get("currency") or "USD",
        contact=SiteContact(**texts(data.get("contact"), "name", "address")),
        languages=languages,
        navigation=navigation,
        extensions=tuple(data.get("extensions") or ()),
        today=dt.date.fromisoformat(today) if today else None,
        schema_dir=data.get("schema_dir") or "",
        page_size=data.get("page_size") or 50,
        host=_host(data.get("host")),
        process_records=data.get("process_records") or "linked",
        local_codes={name: tuple(codes) for name, codes in (data.get("local_codes") or {}).items()},
        certification_schemes=tuple(data.get("certification_schemes") or ()),
        certification_programs=tuple(CertificationProgram(**{**texts(p, "name", "explanation"),
                                                             "codes": tuple(p.get("codes") or ())})
                                     for p in data.get("certification_programs") or ()),
        bid_submission_url=data.get("bid_submission_url") or "",
        vendor_registration=Registration(**texts(data["vendor_registration"], "text"))
        if data.get("vendor_registration") else None,
        alerts=EmailAlerts(data["alerts"]["service"], data["alerts"]["subscribe_url"]) if data.get("alerts") else None,
        cooperative_programs=tuple(CooperativeProgram(**texts(p, "name")) for p in data.get("cooperative_programs") or ()),
        emergency=emergency_settings.parse(data.get("emergency")),
        performance=performance_settings.parse(data.get("performance")),
    )


def _prefixes(value) -> tuple[str, ...]:
    """`ocid_prefix` is one prefix, a list of them, or null (legacy data: no prefix is checked)."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(dict.fromkeys(value))
