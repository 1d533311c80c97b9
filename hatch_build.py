"""Put lunr.js (from npm, pinned in package.json) into the wheel as generator/browser/lunr.min.js.

A wheel built after `npm ci` carries it, so a city that installs the generator from a package
index needs no Node.js. Editable installs (and builds without node_modules/) leave it out: the
generator then reads it from node_modules/ beside the package (see load.browser_libraries).
"""

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LUNR = Path("node_modules/lunr/lunr.min.js")


class BrowserLibraries(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        source = Path(self.root) / LUNR
        if self.target_name == "wheel" and version != "editable" and source.is_file():
            build_data["force_include"][str(source)] = "generator/browser/lunr.min.js"
