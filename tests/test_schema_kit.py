"""schema_kit: extension resolution, pins, the explicit folder / cache / download order, assembly."""

from __future__ import annotations

import copy
import json
import shutil
import urllib.error
from pathlib import Path

import pytest

from generator.errors import SchemaKitError
from generator.inputs import schema_kit

SHARED_OCDS = Path(__file__).resolve().parents[1].parent / "shared" / "ocds"
RAW = "https://raw.githubusercontent.com/open-contracting-extensions"


def master_url(repo: str) -> str:
    return f"{RAW}/{repo}/master/extension.json"


def pinned_url(ext_id: str) -> str:
    info = schema_kit.load_pins()["extensions"][ext_id]
    repo = info["repository"].rstrip("/").rsplit("/", 1)[-1]
    return f"{RAW}/{repo}/{info['commit']}/extension.json"


ALL_MASTER_URLS = [master_url(r) for r in (
    "ocds_bid_extension", "ocds_documentation_extension", "ocds_enquiry_extension", "ocds_location_extension",
    "ocds_lots_extension", "ocds_organizationClassification_extension", "ocds_partyDetails_scale_extension",
    "ocds_contract_signatories_extension", "ocds_submissionTerms_extension", "ocds_suitability_extension",
    "ocds_techniques_extension", "ocds_options_extension", "ocds_renewal_extension",
    "ocds_procurementMethodRationaleClassifications_extension", "ocds_tenderClassification_extension")]


@pytest.fixture(scope="module")
def all_extensions():
    return schema_kit.resolve_extensions(ALL_MASTER_URLS)


@pytest.fixture(scope="module")
def all_files(all_extensions):
    pins = schema_kit.required_pins(all_extensions)
    files, _ = schema_kit.read_kit_files(pins, explicit=SHARED_OCDS, cache=Path("/nonexistent-cache"),
                                         download=False)
    return files


def shared_fetch(pins):
    """A `fetch` that serves the shared folder's bytes for each pinned URL (no network)."""
    by_url = {p.url: SHARED_OCDS / p.path for p in pins}
    calls = []

    def fetch(url: str) -> bytes:
        calls.append(url)
        return by_url[url].read_bytes()

    fetch.calls = calls
    return fetch


def offline_fetch(url: str) -> bytes:
    raise urllib.error.URLError("no network in tests")


def failing_fetch(url: str) -> bytes:  # pragma: no cover - must never be called
    raise AssertionError(f"unexpected download of {url}")


def copy_pinned(pins, target: Path) -> None:
    for pin in pins:
        dest = target / pin.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED_OCDS / pin.path, dest)


# --- resolve_extensions / required_pins -----------------------------------------------------

def test_resolve_extensions_maps_master_urls_to_ids(all_extensions):
    assert sorted(e.id for e in all_extensions) == sorted(schema_kit.load_pins()["extensions"])
    by_url = {e.declared_url: e.id for e in all_extensions}
    assert by_url[master_url("ocds_partyDetails_scale_extension")] == "partyScale"
    assert by_url[master_url("ocds_bid_extension")] == "bids"
    assert by_url[master_url("ocds_enquiry_extension")] == "enquiries"


def test_resolve_extensions_maps_pinned_commit_urls_to_ids():
    urls = [pinned_url("lots"), pinned_url("signatories")]
    extensions = schema_kit.resolve_extensions(urls)
    assert [(e.id, e.declared_url) for e in extensions] == [("lots", urls[0]), ("signatories", urls[1])]
    assert extensions[0].repository.endswith("/ocds_lots_extension")


def test_resolve_extensions_rejects_unknown_extension_with_hint():
    unknown = master_url("ocds_made_up_extension")
    with pytest.raises(SchemaKitError) as info:
        schema_kit.resolve_extensions([master_url("ocds_lots_extension"), unknown])
    assert unknown in info.value.message
    assert "content/site.yml" in info.value.hint
    assert "partyScale" in info.value.hint  # lists what can be used instead


def test_required_pins_has_core_and_declared_extensions_only():
    extensions = schema_kit.resolve_extensions([master_url("ocds_partyDetails_scale_extension"),
                                                master_url("ocds_organizationClassification_extension")])
    paths = {p.path for p in schema_kit.required_pins(extensions)}
    core = {f["path"] for f in schema_kit.load_pins()["files"] if f["path"].startswith("1.1.5/")}
    assert core <= paths
    assert {"1.1.5/release-schema.json", "1.1.5/codelists/tenderStatus.csv"} <= paths
    assert "extensions/partyScale/release-schema.json" in paths
    assert "extensions/organizationClassification/codelists/+itemClassificationScheme.csv" in paths
    extension_dirs = {p.split("/")[1] for p in paths if p.startswith("extensions/")}
    assert extension_dirs == {"partyScale", "organizationClassification"}


def test_required_pins_without_extensions_is_core_only():
    assert all(p.path.startswith("1.1.5/") for p in schema_kit.required_pins(()))


def test_explicit_dir_prefers_setting_then_environment(tmp_path):
    assert schema_kit.explicit_dir("kit", tmp_path, environ={}) == (tmp_path / "kit").resolve()
    assert schema_kit.explicit_dir("", tmp_path, environ={schema_kit.ENV_SCHEMA_DIR: str(tmp_path / "env")}) \
        == (tmp_path / "env").resolve()
    assert schema_kit.explicit_dir("", tmp_path, environ={}) is None


# --- read_kit_files: explicit folder, cache, download ---------------------------------------

def test_read_kit_files_from_explicit_folder(all_extensions):
    pins = schema_kit.required_pins(all_extensions)
    files, origin = schema_kit.read_kit_files(pins, explicit=SHARED_OCDS, cache=Path("/nonexistent-cache"),
                                              download=True, fetch=failing_fetch)
    assert origin == str(SHARED_OCDS)
    assert set(files) == {p.path for p in pins}
    assert files["1.1.5/release-schema.json"] == (SHARED_OCDS / "1.1.5/release-schema.json").read_bytes()


def test_explicit_folder_missing_files_names_the_fetch_command(tmp_path):
    pins = schema_kit.required_pins(())
    with pytest.raises(SchemaKitError) as info:
        schema_kit.read_kit_files(pins, explicit=tmp_path, cache=tmp_path / "cache", fetch=failing_fetch)
    assert str(tmp_path) in info.value.message
    assert "portal schema fetch" in info.value.hint


def test_checksum_mismatch_in_explicit_folder_names_the_file(tmp_path):
    pins = schema_kit.required_pins(schema_kit.resolve_extensions([master_url("ocds_lots_extension"),
                                                                   master_url("ocds_submissionTerms_extension")]))
    kit_dir = tmp_path / "kit"
    copy_pinned(pins, kit_dir)
    altered = kit_dir / "1.1.5" / "codelists" / "tenderStatus.csv"
    altered.write_bytes(altered.read_bytes() + b"open,Open,Not a real code\n")
    with pytest.raises(SchemaKitError) as info:
        schema_kit.read_kit_files(pins, explicit=kit_dir, cache=tmp_path / "cache", fetch=failing_fetch)
    assert "tenderStatus.csv" in info.value.message
    assert "checksum" in info.value.message


def test_cache_is_used_when_present(tmp_path):
    pins = schema_kit.required_pins(schema_kit.resolve_extensions([master_url("ocds_partyDetails_scale_extension")]))
    cache = tmp_path / "cache"
    copy_pinned(pins, cache)
    files, origin = schema_kit.read_kit_files(pins, explicit=None, cache=cache, download=True, fetch=failing_fetch)
    assert origin == str(cache)
    assert set(files) == {p.path for p in pins}


def test_download_into_empty_cache_is_verified_and_kept(tmp_path):
    pins = schema_kit.required_pins(schema_kit.resolve_extensions([master_url("ocds_partyDetails_scale_extension")]))
    cache = tmp_path / "cache"
    fetch = shared_fetch(pins)
    files, origin = schema_kit.read_kit_files(pins, explicit=None, cache=cache, download=True, fetch=fetch)
    assert "downloaded" in origin and str(cache) in origin
    assert sorted(fetch.calls) == sorted(p.url for p in pins)
    for pin in pins:
        assert (cache / pin.path).read_bytes() == (SHARED_OCDS / pin.path).read_bytes() == files[pin.path]
    assert not list(cache.rglob("*.part"))
    # A second read comes from the cache, without downloading again.
    files_again, origin_again = schema_kit.read_kit_files(pins, explicit=None, cache=cache, fetch=failing_fetch)
    assert origin_again == str(cache) and files_again == files


def test_fetch_into_only_downloads_missing_files(tmp_path):
    pins = schema_kit.required_pins(())
    cache = tmp_path / "cache"
    copy_pinned(pins[:-1], cache)
    fetch = shared_fetch(pins)
    files = schema_kit.fetch_into(cache, pins, fetch=fetch)
    assert fetch.calls == [pins[-1].url]
    assert set(files) == {p.path for p in pins}


def test_tampered_download_is_rejected_and_not_cached(tmp_path):
    pins = schema_kit.required_pins(())
    target = next(p for p in pins if p.path == "1.1.5/release-schema.json")
    good = shared_fetch(pins)

    def tampered(url: str) -> bytes:
        data = good(url)
        return data.replace(b"Open Contracting", b"Open Kontracting") if url == target.url else data

    cache = tmp_path / "cache"
    with pytest.raises(SchemaKitError) as info:
        schema_kit.read_kit_files(pins, explicit=None, cache=cache, fetch=tampered)
    assert target.url in info.value.message
    assert "checksum" in info.value.message
    assert not (cache / target.path).exists()
    assert not list(cache.rglob("*.part"))


def test_offline_with_empty_cache_names_both_remedies(tmp_path):
    pins = schema_kit.required_pins(())
    with pytest.raises(SchemaKitError) as info:
        schema_kit.read_kit_files(pins, explicit=None, cache=tmp_path / "cache", fetch=offline_fetch)
    text = info.value.message + " " + info.value.hint
    assert "portal schema fetch" in text
    assert "OCDS_PORTAL_SCHEMA_DIR" in text
    assert str(tmp_path / "cache") in text


def test_no_download_allowed_with_empty_cache_names_both_remedies(tmp_path):
    pins = schema_kit.required_pins(())
    with pytest.raises(SchemaKitError) as info:
        schema_kit.read_kit_files(pins, explicit=None, cache=tmp_path / "cache", download=False,
                                  fetch=failing_fetch)
    text = info.value.message + " " + info.value.hint
    assert "portal schema fetch" in text and "OCDS_PORTAL_SCHEMA_DIR" in text


# --- assemble ---------------------------------------------------------------------------------

def test_assemble_applies_extension_merge_patches(all_files, all_extensions):
    kit = schema_kit.assemble(all_files, all_extensions)
    definitions = kit.release_schema["definitions"]
    scale = definitions["Organization"]["properties"]["details"]["properties"]["scale"]
    assert "sme" in scale["enum"]
    assert "lots" in definitions["Tender"]["properties"]
    assert "Lot" in definitions
    assert "enquiries" in definitions["Tender"]["properties"]
    # Core content survives the patches.
    assert "tenderPeriod" in definitions["Tender"]["properties"]
    assert "active" in definitions["Tender"]["properties"]["status"]["enum"]
    assert {e.id for e in kit.extensions} == {e.id for e in all_extensions}


def test_assemble_without_extensions_is_core(all_files):
    core_only = {k: v for k, v in all_files.items() if k.startswith("1.1.5/")}
    kit = schema_kit.assemble(core_only, ())
    definitions = kit.release_schema["definitions"]
    assert "lots" not in definitions["Tender"]["properties"]
    assert "scale" not in definitions["Organization"]["properties"]["details"].get("properties", {})
    assert "COFOG" not in kit.codelists["itemClassificationScheme"]
    assert kit.release_schema == json.loads(all_files["1.1.5/release-schema.json"])


def test_assemble_adds_codelist_rows(all_files, all_extensions):
    core_only = {k: v for k, v in all_files.items() if k.startswith("1.1.5/")}
    core = schema_kit.assemble(core_only, ()).codelists["itemClassificationScheme"]
    kit = schema_kit.assemble(all_files, all_extensions)
    extended = kit.codelists["itemClassificationScheme"]
    assert "CPV" in core and "UNSPSC" in core
    assert extended[: len(core)] == core
    assert {"COFOG", "TED_CA_TYPE", "eu-main-activity"} <= set(extended) - set(core)
    assert kit.codelist_title("itemClassificationScheme", "COFOG") == \
        "Classification of the Functions of Government"
    # Extension-only codelists are there too, under their own names.
    assert "open" not in kit.codelists.get("bidStatus", ())
    assert kit.codelists["bidStatus"]
    assert "+itemClassificationScheme" not in kit.codelists


def test_assemble_removes_and_replaces_codelist_rows(all_files):
    files = {k: v for k, v in all_files.items() if k.startswith("1.1.5/")}
    files["extensions/local/codelists/-method.csv"] = b"Code,Title,Description\nlimited,Limited,x\n"
    files["extensions/local/codelists/submissionMethod.csv"] = b"Code,Title,Description\nportal,City portal,x\n"
    local = schema_kit.Extension("local", "https://example.org/local", "https://example.org/local/extension.json")
    kit = schema_kit.assemble(files, (local,))
    assert "limited" not in kit.codelists["method"]
    assert {"open", "selective", "direct"} <= set(kit.codelists["method"])
    assert kit.codelists["submissionMethod"] == ("portal",)


# --- merge_patch (RFC 7386, Appendix A) ------------------------------------------------------

@pytest.mark.parametrize(("target", "patch", "expected"), [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
])
def test_merge_patch_follows_rfc_7386(target, patch, expected):
    before = copy.deepcopy(target)
    assert schema_kit.merge_patch(target, patch) == expected
    assert target == before  # the target is not changed in place


def test_merge_patch_result_does_not_share_patch_arrays():
    patch = {"enum": ["a", "b"]}
    result = schema_kit.merge_patch({"enum": ["x"]}, patch)
    result["enum"].append("c")
    assert patch == {"enum": ["a", "b"]}


def test_same_extension_declared_twice_is_applied_once():
    # The master URL and the pinned-commit URL name the same extension; its "+" codelist rows
    # must not be added twice.
    urls = [master_url("ocds_organizationClassification_extension"), pinned_url("organizationClassification")]
    extensions = schema_kit.resolve_extensions(urls)
    files, _ = schema_kit.read_kit_files(schema_kit.required_pins(extensions), explicit=SHARED_OCDS,
                                         cache=Path("/nonexistent-cache"), download=False)
    kit = schema_kit.assemble(files, extensions)
    assert kit.codelists["itemClassificationScheme"].count("COFOG") == 1
