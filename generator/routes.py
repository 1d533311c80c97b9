"""Every page kind's output path and URL, collision-proof slugs, and relative links.

Pages link to each other with relative URLs, so the site works from any sub-path (GitHub Pages
serves project sites from /<repo>/). Only the 404 page, which a server returns at any depth,
links with absolute paths built from the base URL's path.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

CLEAN = re.compile(r"^[a-z0-9][a-z0-9.-]{0,99}$")
PAGE = "page"  # the folder of a listing's later pages: <listing>/page/2/
BY_VALUE = "by-value"  # the folder of a listing sorted largest first: <listing>/by-value/
# Names a slug may not take: they are files or folders of the listings themselves.
RESERVED = {"index.html", PAGE, BY_VALUE}
UNSAFE = re.compile(r"[^a-z0-9.-]+")

HOME = "index.html"
OPPORTUNITIES = "opportunities"
PROCESSES = "processes"
AWARDS = "awards"
SUPPLIERS = "suppliers"
BUYERS = "buyers"
GUIDES = "guides"
STATIC = "static"
NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"

# Each listing's folder; "{opportunities}" and "{awards}" stand for those folders as they are when
# a path is made, so moving one (OPPORTUNITIES = "bids") moves its sub-listings too.
LISTINGS = {
    "home": HOME,
    "opportunities": "{opportunities}",
    "processes": PROCESSES,
    "awards": "{awards}",
    "awards-by-value": f"{{awards}}/{BY_VALUE}",
    "suppliers": SUPPLIERS,
    "buyers": BUYERS,
    "guides": GUIDES,
    "quality": "data-quality",
    "past": "{opportunities}/past",
    "newest": "{opportunities}/newest",
    "by-value": f"{{opportunities}}/{BY_VALUE}",
    "browse": "{opportunities}/browse",
    "search": "search",
    "spending": "spending",
    "data": "data",
    "alerts": "alerts",
    "coming-up": "{opportunities}/coming-up",  # the re-bid radar, by category
    "coming-up-by-department": "{opportunities}/coming-up/by-department",
    "shared-contracts": "shared-contracts",  # the city's agreements other agencies may use
    "storm-ready": "storm-ready",
    "performance": "performance",  # procurement performance, for the city's leadership: speed, competition, savings
    "performance-businesses": "performance/businesses",  # who wins: diversity, new winners, concentration
    "performance-flags": "performance/flags",  # the red flags, questions the data raises
}
SEARCH = "search"
CALENDARS = "calendars"
FEEDS = "feeds"
FEED_FACETS = ("category", "department")  # opportunity filters with their own Atom feed
CALENDAR_FACETS = ("category",)  # opportunity filters with their own calendar of deadlines


def slug(key: str) -> str:
    """A file-name-safe, collision-proof slug.

    A key made only of lower-case ASCII letters, digits, dots and hyphens (no "..", not starting
    with a dot, not a reserved name such as "index.html", "page" or "by-value") is its own slug. Any other
    key becomes a readable, lower-cased ASCII version
    plus "_" and a hash of the original. Clean slugs never contain "_", so the two kinds can't
    collide, and hashed slugs differ whenever their keys differ.
    """
    if CLEAN.match(key) and ".." not in key and key not in RESERVED and not key.endswith((".html", ".xml")):
        return key
    ascii_text = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii").lower()
    readable = UNSAFE.sub("-", ascii_text.replace("..", "-")).strip(".-")[:60].strip(".-") or "item"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    return f"{readable}_{digest}"


def _listing(kind: str) -> str:
    return LISTINGS[kind].format(opportunities=OPPORTUNITIES, awards=AWARDS)


def listing_path(kind: str, page: int = 1) -> str:
    base = _listing(kind)
    return HOME if base == HOME else _paged(base, page)


def process_path(ocid: str) -> str:
    return f"{PROCESSES}/{slug(ocid)}/index.html"


def _paged(folder: str, page: int) -> str:
    return f"{folder}/index.html" if page <= 1 else f"{folder}/{PAGE}/{page}/index.html"


def opportunity_facet_path(kind: str, key: str, page: int = 1) -> str:
    """A pre-built filtered list: opportunities/category/<code>/, opportunities/closing/7/, ..."""
    return _paged(f"{OPPORTUNITIES}/{kind}/{slug(key)}", page)


def award_list_path(kind: str = "", key: str = "", page: int = 1, by_value: bool = False) -> str:
    """An awards list, newest first or (`by_value`) largest first: every award (awards/,
    awards/by-value/) or one filter's (awards/<kind>/<slug>/, awards/<kind>/<slug>/by-value/).

    A key's slug is one folder below its kind and the orders and pages are folders inside it,
    so no key (not even "by-value" or "page") can land on another list's page.
    """
    if not kind:
        return listing_path("awards-by-value" if by_value else "awards", page)
    folder = f"{AWARDS}/{kind}/{slug(key)}"
    return _paged(f"{folder}/{BY_VALUE}" if by_value else folder, page)


def process_record_path(ocid: str) -> str:
    """One process's OCDS record package, beside its page: processes/<slug>/record.json."""
    return f"{PROCESSES}/{slug(ocid)}/record.json"


def data_path(name: str) -> str:
    """A bulk download (or the data page's index.html) under data/; `name` may hold folders
    (csv/awards.csv, releases/2024.json.gz) made of names the generator chooses, never of data."""
    return f"{_listing('data')}/{name}"


def process_calendar_path(ocid: str) -> str:
    """The .ics of one opportunity's dates, beside its page."""
    return f"{PROCESSES}/{slug(ocid)}/calendar.ics"


def calendar_path(kind: str = "", key: str = "") -> str:
    """All open deadlines (calendars/open-deadlines.ics), or one facet's (calendars/category/<code>.ics)."""
    return f"{CALENDARS}/{kind}/{slug(key)}.ics" if kind else f"{CALENDARS}/open-deadlines.ics"


def feed_path(name: str, kind: str = "", key: str = "") -> str:
    """feeds/opportunities.atom, feeds/awards.atom, or one facet's feeds/category/<code>.atom."""
    return f"{FEEDS}/{kind}/{slug(key)}.atom" if kind else f"{FEEDS}/{name}.atom"


def supplier_path(key: str, page: int = 1) -> str:
    return _paged(f"{SUPPLIERS}/{slug(key)}", page)


def buyer_path(key: str, page: int = 1) -> str:
    return _paged(f"{BUYERS}/{slug(key)}", page)


def performance_file(name: str) -> str:
    """A CSV of the numbers behind one of the performance page's figures: performance/<name>.csv."""
    return f"{_listing('performance')}/{slug(name)}.csv"


def spending_file(name: str) -> str:
    """A CSV of the numbers behind one of the dashboard's charts: spending/<name>.csv."""
    return f"{_listing('spending')}/{slug(name)}.csv"


def buyer_file(key: str, name: str) -> str:
    """A CSV beside a department's page: buyers/<slug>/<name>.csv."""
    return f"{BUYERS}/{slug(key)}/{slug(name)}.csv"


def guide_path(name: str) -> str:
    return f"{GUIDES}/{slug(name)}/index.html"


def static_path(name: str) -> str:
    return f"{STATIC}/{name}"


def search_shard_path(name: str) -> str:
    """One shard of the search index: search/current.json, search/suppliers.json, search/archive-2025.json."""
    return f"{SEARCH}/{name}.json"


RADAR = "coming-up"


def radar_feed_path(kind: str = "", key: str = "") -> str:
    """The Atom feed of contracts coming up (feeds/coming-up.atom), or one category's
    (feeds/coming-up/category/<code>.atom)."""
    return f"{FEEDS}/{RADAR}/{kind}/{slug(key)}.atom" if kind else f"{FEEDS}/{RADAR}.atom"


def radar_calendar_path(kind: str = "", key: str = "") -> str:
    """The calendar of contract ends (calendars/coming-up.ics), or one category's
    (calendars/coming-up/category/<code>.ics)."""
    return f"{CALENDARS}/{RADAR}/{kind}/{slug(key)}.ics" if kind else f"{CALENDARS}/{RADAR}.ics"


# The routes templates link to by name, through route(): route('listing', 'opportunities'),
# route('static', 'site.css'), route('search_shard', 'current'). Each name is this module's
# function of that route, looked up when called, so changing a route changes every link to it.
ROUTES = {
    "listing": "listing_path",
    "process": "process_path",
    "process_record": "process_record_path",
    "process_calendar": "process_calendar_path",
    "opportunity_facet": "opportunity_facet_path",
    "award_list": "award_list_path",
    "supplier": "supplier_path",
    "buyer": "buyer_path",
    "guide": "guide_path",
    "data": "data_path",
    "performance_file": "performance_file",
    "calendar": "calendar_path",
    "feed": "feed_path",
    "static": "static_path",
    "search_shard": "search_shard_path",
    "radar_feed": "radar_feed_path",
    "radar_calendar": "radar_calendar_path",
}


def path(kind: str, *args, **kwargs) -> str:
    """The output path of the route named `kind` (a key of ROUTES) with these arguments."""
    if kind not in ROUTES:
        raise KeyError(f"no route named {kind!r}; the routes are {', '.join(sorted(ROUTES))}")
    return globals()[ROUTES[kind]](*args, **kwargs)


def is_shared(path: str) -> bool:
    """Whether the file at `path` is written once for every language: the static assets, the bulk
    downloads (not the data page that lists them) and each process's record, the site-wide
    sitemap and robots.txt. Pages, feeds, calendars, search shards and figures' CSVs are per language."""
    return (path.startswith((static_path(""), data_path(""))) and path != listing_path("data")
            or path.startswith(f"{PROCESSES}/") and path.endswith("/record.json")
            or path in (SITEMAP, ROBOTS) or path.startswith("sitemap-"))


def in_language(path: str, prefix: str) -> str:
    """The output path of `path` in the language whose pages are under `prefix` ("" for the site's
    first language, "es/" for another): the same path in that folder, or `path` itself for a file
    every language shares (is_shared)."""
    return path if not prefix or is_shared(path) else prefix + path


def relative_url(from_path: str, to_path: str) -> str:
    """The link from the page written at `from_path` to the file at `to_path`.

    Both are output paths relative to the site root, so the link climbs to the root ("../" per
    folder of `from_path`) and descends to the target. Links to a folder's index.html end at the
    folder ("../awards/"), as servers expect.
    """
    path, hash_, fragment = to_path.partition("#")
    if not path:
        return hash_ + fragment
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    url = "../" * from_path.count("/") + quote(path, safe="/.-_~")
    return (url or "./") + hash_ + fragment


def rooted_url(root: str, to_path: str) -> str:
    """The link to the file at `to_path` from the site's base path `root` ("/" or "/<repo>/"):
    for the 404 page, which a server returns at any depth. A folder's index.html ends at the folder."""
    return root + relative_url("", to_path).removeprefix("./")


WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+[^\s]*$")


@dataclass(frozen=True)
class SiteURL:
    """Where the site is served, parsed and normalised once (settings `base_url`, or --base-url).

    `url` ends with "/" ("https://city.github.io/contracts/"), or is "" when no base URL is set.
    Then there is no absolute address, and that is the one fallback: `absolute()` gives None, so
    what needs a full address (the sitemap, a calendar event's link) is left out; `link()` links
    relatively from the file that links instead (feeds, the data page); and `uri()` names a file
    by a URN instead (urn:ocds-portal:<prefix>:<path>: a package's uri, which OCDS requires).
    """

    url: str = ""
    prefix: str = ""  # the language's folder ("es/") when the links are made for one of its pages

    @classmethod
    def parse(cls, text: str | None) -> SiteURL:
        """Raises ValueError, saying what is wrong, for anything but an http(s) address with a host."""
        text = (text or "").strip()
        if not text:
            return cls()
        if not WEB_ADDRESS.match(text):
            raise ValueError(f"{text!r} is not a web address starting with http:// or https://")
        return cls(text if text.endswith("/") else text + "/")

    def __bool__(self) -> bool:
        return bool(self.url)

    @property
    def path(self) -> str:
        """The path the site is served from ("/" or "/<repo>/"), for pages served at any depth (404)."""
        return urlsplit(self.url).path or "/" if self.url else "/"

    def in_language(self, prefix: str) -> SiteURL:
        """The same address, making links for the pages of the language under `prefix` (in_language)."""
        return SiteURL(self.url, prefix)

    def absolute(self, path: str) -> str | None:
        """The full URL of a written file (a folder's index.html ends at the folder), in this
        address's language (in_language); None without a base URL."""
        if not self.url:
            return None
        path = in_language(path, self.prefix)
        if path.endswith("index.html"):
            path = path[: -len("index.html")]
        return self.url + quote(path, safe="/.-_~")

    def link(self, path: str, from_path: str) -> str:
        """A link to `path` from the file at `from_path`: absolute when the address is known, else relative."""
        return self.absolute(path) or relative_url(in_language(from_path, self.prefix), in_language(path, self.prefix))

    def uri(self, path: str, prefix: str) -> str:
        """An identifier of a written file: its URL, else a URN naming the city's OCID prefix and the file."""
        return self.absolute(path) or f"urn:ocds-portal:{prefix}:{path}"


def is_inside(root_relative: str) -> bool:
    """True when a relative output path stays inside the output root."""
    if not root_relative or root_relative.startswith("/") or "\\" in root_relative:
        return False
    normal = posixpath.normpath(root_relative)
    return normal != ".." and not normal.startswith("../") and normal != "."
