"""Put the browser libraries (from npm, pinned in package.json) into the wheel under generator/browser/:
lunr.js, and lunr-languages' stemmer support and Spanish for the Spanish pages' search.

A wheel built after `npm ci` carries them, so a city that installs the generator from a package
index needs no Node.js. Editable installs (and builds without node_modules/) leave them out: the
generator then reads them from node_modules/ beside the package (see inputs.folder.browser_libraries,
whose BROWSER_LIBRARIES pins the same files; a test checks the two lists agree).
"""

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LIBRARIES = {  # path in node_modules/ -> name in generator/browser/
    "lunr/lunr.min.js": "lunr.min.js",
    "lunr-languages/min/lunr.stemmer.support.min.js": "lunr.stemmer.support.min.js",
    "lunr-languages/min/lunr.es.min.js": "lunr.es.min.js",
}


class BrowserLibraries(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        if self.target_name != "wheel" or version == "editable":
            return
        for npm_path, name in LIBRARIES.items():
            source = Path(self.root) / "node_modules" / npm_path
            if source.is_file():
                build_data["force_include"][str(source)] = f"generator/browser/{name}"
