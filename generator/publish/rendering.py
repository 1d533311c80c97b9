"""How pages render quickly with Jinja, their output unchanged: the page being rendered (`Here`),
links from it (`url`, `route`), imports checked quickly (`Template`), rows made once (`once`) and
translations written into the compiled templates (`Environment`, each language's kept apart in the
shared bytecode cache by `SaltedCache`).
Pure: publish.pages installs them in each language's environment.
"""

from __future__ import annotations

import gettext
import hashlib

import jinja2
import markupsafe

from generator import routes

# Where a link climbs to the site's root ("../" once per folder of the page) in a row made once:
# a raw "<" never comes from text, which is escaped, and no tag is written like this.
CLIMB = "<\x00>"
ROWS_KEPT = 1 << 18  # rows made once, an environment; past it, they are made anew


class Template(jinja2.Template):
    """A template whose imports are checked quickly. At each `{% from ... import %}` Jinja asks the
    module's globals (a ChainMap, key by key) for every global of the importing page, to see if it
    lacks one: a fourteenth of a process page's time. Both chain to the environment's globals, so
    only the keys outside them (usually none) need asking about."""

    def _get_default_module(self, ctx=None):
        if ctx is not None and all(k in self.globals for k in ctx.globals_keys - self.environment.globals.keys()):
            ctx = None  # nothing the module lacks: the module Jinja made once (per environment) will do
        return super()._get_default_module(ctx)


class Here:
    """The page an environment is rendering, for `url`, `route` and `prose`: read from here rather
    than from the template's context, so the macro templates can be imported without context
    (`{% from "_macros.html" import name %}`), which Jinja makes once per environment instead of
    once per page and import (a fifth of a process page's rendering time). `rows`: what `once`
    made, by macro, item and arguments. `reads`: the view model's attributes the page has read
    (publish.page_keys.SiteReads notes them here)."""

    __slots__ = ("climbing", "explained", "path", "reads", "rows")

    def __init__(self) -> None:
        self.path = ""  # the page's output path in the site's first language
        self.explained: set[str] = set()  # the abbreviations the page has explained so far
        self.climbing = False  # `once` is making a row: links climb with CLIMB, for any page
        self.rows: dict[tuple, tuple[object, str | None, frozenset[str]]] = {}
        self.reads: set[str] = set()


class _ToRoot(Exception):
    """A row links to the site's root page, whose link is not a climb and a path ("./" at the root):
    it is made for each page instead."""


def _link(env: jinja2.Environment, target: str) -> str:
    """The link from the page being rendered to `target`, an output path in the page's language."""
    here = env.page
    if not here.climbing:
        return routes.relative_url(routes.in_language(here.path, env.globals["language_prefix"]), target)
    link = routes.relative_url("", target)
    if link.startswith("#"):
        return link  # within the page: the same on every page
    if link == "./" or link.startswith("./#"):
        raise _ToRoot
    return markupsafe.Markup(CLIMB + link)  # markupsafe: a link holds nothing to escape (routes quotes it)


@jinja2.pass_environment
def url(env: jinja2.Environment, target: str) -> str:
    """Relative link from the page being rendered to an output path (in the page's language)."""
    return _link(env, routes.in_language(target, env.globals["language_prefix"]))


@jinja2.pass_environment
def route(env: jinja2.Environment, kind: str, *args, root: str | None = None, **kwargs) -> str:
    """Link from the page being rendered to the output path of the route named `kind`
    (routes.ROUTES): route('listing', 'opportunities'), route('static', 'site.css'). With `root`
    (the site's base path, on the 404 page, which a server returns at any depth) the link is
    absolute from it instead. Routes are looked up on every call."""
    target = routes.in_language(routes.path(kind, *args, **kwargs), env.globals["language_prefix"])
    return routes.rooted_url(root, target) if root is not None else _link(env, target)


@jinja2.pass_environment
def once(env: jinja2.Environment, macro, item, *args) -> markupsafe.Markup:
    """`macro(item, *args)`, made once for every page of the environment's language: an award is a
    row of ten lists (all awards, its department's, year's, method's and value band's, each newest
    and largest first), a third of the pages' rendering time when each was made anew. The row is
    made with its links climbing to the root by CLIMB, which each page replaces with its own climb
    ("../" a folder). The macro must read nothing of the page but its links (`url`, `route`): not
    `prose`, whose abbreviations are explained once a page. The item is kept with its row, so the
    row is never taken for another item's."""
    here = env.page
    key = (macro.name, id(item), args)
    kept = here.rows.get(key)
    if kept is None or kept[0] is not item:
        path, here.path, here.climbing = here.path, "", True
        reads, here.reads = here.reads, set()  # what the row reads, for every page it is on
        try:
            row = str(macro(item, *args))
        except _ToRoot:
            row = None
        finally:
            here.path, here.climbing = path, False
            row_reads, here.reads = frozenset(here.reads), reads
        if len(here.rows) >= ROWS_KEPT:
            here.rows.clear()
        here.rows[key] = kept = (item, row, row_reads)
    here.reads.update(kept[2])
    if kept[1] is None:
        return macro(item, *args)
    climb = "../" * routes.in_language(here.path, env.globals["language_prefix"]).count("/")
    return markupsafe.Markup(kept[1].replace(CLIMB, climb))


GETTEXT = frozenset({"_", "gettext"})  # the names a template translates a text with


class Environment(jinja2.Environment):
    """An environment that writes each text a template translates without variables (`{{ _('Awards')
    }}`, `{% trans %}Awards{% endtrans %}`) into the compiled template as its translation, instead of
    asking gettext on every page: nearly half of a process page's calls into Python (64 of 143)
    were translations. `translate(text, autoescape)` is what `_()` gives for it (pages._formatted_gettext),
    so the page is the same. Only a translation written out whole is written in: one passed to a
    macro or a filter, or joined with `~`, is still asked for as the page renders; so is every
    translation of a template that names a variable `_` or `gettext` or changes autoescaping."""

    translate = None  # (text, autoescape) → the translation as the page shows it; None: nothing written in

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        if self.translate is None or _not_foldable(tree):
            return tree
        autoescape = self.autoescape(name) if callable(self.autoescape) else self.autoescape
        for output in tree.find_all(jinja2.nodes.Output):
            output.nodes = [self._written(node, autoescape) for node in output.nodes]
        return tree

    def _written(self, node, autoescape: bool):
        if not (isinstance(node, jinja2.nodes.Call) and isinstance(node.node, jinja2.nodes.Name)
                and node.node.name in GETTEXT and len(node.args) == 1 and isinstance(node.args[0], jinja2.nodes.Const)
                and type(node.args[0].value) is str and not node.kwargs and node.dyn_args is None
                and node.dyn_kwargs is None):
            return node
        try:
            text = self.translate(node.args[0].value, autoescape)
        except (KeyError, ValueError, TypeError):  # a text gettext can't format: the page says so as it renders
            return node
        return jinja2.nodes.TemplateData(str(text), lineno=node.lineno)  # as {{ }} writes it: Markup as it is


def _not_foldable(tree) -> bool:
    return (any(True for _ in tree.find_all((jinja2.nodes.EvalContextModifier, jinja2.nodes.ScopedEvalContextModifier)))
            or any(n.ctx != "load" and n.name in GETTEXT for n in tree.find_all(jinja2.nodes.Name)))


class SaltedCache(jinja2.BytecodeCache):
    """The build's shared bytecode cache (inputs.template_cache), its keys salted with the
    translations an Environment writes into the compiled templates: each language keeps its own."""

    def __init__(self, shared: jinja2.BytecodeCache, salt: str):
        self.shared, self.salt = shared, salt

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return self.shared.get_cache_key(f"{name}\x00{self.salt}", filename)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.shared.load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.shared.dump_bytecode(bucket)


def translations_salt(translations) -> str | None:
    """What tells one language's written-in translations from another's: a digest of the catalogue
    (gettext's GNUTranslations and their fallbacks; "" for none). None for a translations object
    whose catalogue can't be read: its texts are then asked for as pages render, never written in."""
    digest = hashlib.sha256(b"written-in 1")
    while translations is not None:
        if type(translations) is gettext.NullTranslations:
            break
        catalog = getattr(translations, "_catalog", None)
        if not isinstance(catalog, dict):
            return None
        digest.update(repr(sorted(catalog.items(), key=repr)).encode("utf-8"))
        translations = getattr(translations, "_fallback", None)
    return digest.hexdigest()
