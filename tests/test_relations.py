"""The relation graph (relatedProcesses read in both directions) and the warnings about links."""

from __future__ import annotations

from types import SimpleNamespace

from generator.checking import relations as checks
from generator.inputs.parsing import SourceRelease
from generator.related import CALL_OFF, FOLLOW_ON, PLANNING, RENEWAL, REPLACEMENT, edges, links
from generator.site.relations import graph, lineage
from generator.site.texts import Name

P = "ocds-abc123-"


def rel(ocid: str, *related, contracts=(), **fields) -> dict:
    release = {"ocid": P + ocid, "id": f"{ocid}-1", "date": "2026-01-01T00:00:00Z", "tag": ["tender"], **fields}
    if related:
        release["relatedProcesses"] = list(related)
    if contracts:
        release["contracts"] = list(contracts)
    return release


def link(relationship: str, target: str, scheme="ocid", **extra) -> dict:
    return {"id": f"{relationship}-{target}", "relationship": [relationship], "scheme": scheme,
            "identifier": P + target if scheme == "ocid" else target, **extra}


def processes(*releases) -> dict:
    found = {}
    for r in releases:
        found[r["ocid"]] = SimpleNamespace(links=links(r), path=f"processes/{r['ocid']}/index.html",
                                           name=Name(r["ocid"][len(P):]), stage="contracted", deadline=None)
    return found


def test_links_read_release_and_contract_level_with_pointers():
    r = rel("new", link("prior", "old"), contracts=[{"id": "c1", "relatedProcesses": [link("renewalProcess", "next")]}])
    found = links(r)
    assert [(x.relationships, x.ocid, x.pointer, x.contract_id) for x in found] == [
        (("prior",), P + "old", "/relatedProcesses/0", ""),
        (("renewalProcess",), P + "next", "/contracts/0/relatedProcesses/0", "c1")]


def test_an_identifier_that_looks_like_an_ocid_counts_without_a_scheme_and_another_scheme_is_external():
    bare = links(rel("a", {"id": "1", "relationship": ["framework"], "identifier": P + "fw"}))[0]
    coop = links(rel("b", link("framework", "GLCPC-2024-117", scheme="GLCPC", uri="javascript:alert(1)")))[0]
    assert bare.ocid == P + "fw" and not bare.external
    assert coop.ocid == "" and coop.external and coop.identifier == "GLCPC-2024-117"
    assert coop.uri == "", "only http(s) addresses are kept"


def test_edges_run_from_the_earlier_process_to_the_later_whichever_side_states_them():
    call_off = links(rel("order", link("framework", "fw")))[0]
    old = links(rel("old", contracts=[{"id": "c", "relatedProcesses": [link("replacementProcess", "new")]}]))[0]
    assert [(e.kind, e.earlier, e.later) for e in edges(call_off)] == [(CALL_OFF, P + "fw", P + "order")]
    assert [(e.kind, e.earlier, e.later) for e in edges(old)] == [(REPLACEMENT, P + "old", P + "new")]
    unknown = links(rel("x", link("somethingElse", "y")))[0]
    assert edges(unknown) == ()


def test_graph_gives_each_edge_to_both_ends():
    found = graph(processes(rel("fw"), rel("o1", link("framework", "fw")), rel("o2", link("framework", "fw")),
                            rel("new", link("prior", "old")), rel("old")))
    assert [n.ocid for n in found[P + "fw"].call_offs] == [P + "o1", P + "o2"]
    assert [n.ocid for n in found[P + "o1"].agreements] == [P + "fw"]
    assert [(n.kind, n.ocid) for n in found[P + "old"].follow_ons] == [(FOLLOW_ON, P + "new")]
    assert [n.ocid for n in found[P + "new"].prior] == [P + "old"]
    assert found[P + "fw"].call_offs[0].path == f"processes/{P}o1/index.html"


def test_a_pair_linked_from_both_sides_is_one_relation_of_the_more_specific_kind():
    found = graph(processes(rel("new", link("prior", "old")),
                            rel("old", contracts=[{"id": "c", "relatedProcesses": [link("renewalProcess", "new")]}])))
    assert [(n.kind, n.ocid) for n in found[P + "new"].prior] == [(RENEWAL, P + "old")]
    assert [(n.kind, n.ocid) for n in found[P + "old"].follow_ons] == [(RENEWAL, P + "new")]
    same = graph(processes(rel("new", link("prior", "old")), rel("old", link("prior", "older")), rel("older")))
    assert [n.kind for n in same[P + "old"].prior] == [FOLLOW_ON], "a prior alone stays"


def test_unknown_and_external_ends_stay_with_the_process_that_names_them():
    found = graph(processes(rel("a", link("prior", "missing")),
                            rel("b", link("framework", "S-1", scheme="SOURCEWELL", title="Sourcewell contract S-1"))))
    missing = found[P + "a"].prior[0]
    assert (missing.ocid, missing.path, missing.in_data, str(missing.name)) == (P + "missing", "", False, P + "missing")
    coop = found[P + "b"].agreements[0]
    assert (coop.ocid, coop.in_data, str(coop.name)) == ("", False, "Sourcewell contract S-1")
    assert set(found) == {P + "a", P + "b"}, "no entry for a process that is not in the data"


def test_planning_links_and_self_links():
    found = graph(processes(rel("plan"), rel("tender", link("planning", "plan")), rel("me", link("prior", "me"))))
    assert [n.kind for n in found[P + "tender"].plans] == [PLANNING]
    assert P + "me" not in found


def test_lineage_walks_back_and_stops_at_a_cycle():
    found = graph(processes(rel("c", link("prior", "b")), rel("b", link("prior", "a")), rel("a", link("prior", "c"))))
    assert lineage(found, P + "c") == (P + "b", P + "a")
    assert lineage(found, P + "a") == (P + "c", P + "b")
    assert lineage({}, P + "z") == ()


def source(release: dict, file: str = "data/a.json", item: int = 0) -> SourceRelease:
    return SourceRelease(release, file, f"/releases/{item}", item)


def test_checks_warn_of_unknown_ocids_self_links_and_cycles_with_file_and_pointer():
    groups = {P + "a": [source(rel("a", link("prior", "b")), item=0)],
              P + "b": [source(rel("b", link("prior", "a")), item=1)],
              P + "c": [source(rel("c", link("prior", "gone"), link("prior", "c")), item=2)],
              P + "d": [source(rel("d", link("framework", "X-1", scheme="GLCPC")), item=3)]}
    problems = checks.check(groups)
    by_code = {}
    for p in problems:
        by_code.setdefault(p.code, []).append(p)
    assert sorted(by_code) == ["related-cycle", "related-self", "related-unknown"]
    unknown = by_code["related-unknown"][0]
    assert unknown.location.file == "data/a.json" and unknown.location.pointer == "/releases/2/relatedProcesses/0/identifier"
    assert P + "gone" in unknown.message
    assert len(by_code["related-cycle"]) == 1 and f"{P}a → {P}b → {P}a" in by_code["related-cycle"][0].message
    assert by_code["related-self"][0].location.pointer == "/releases/2/relatedProcesses/1/identifier"


def test_a_link_repeated_in_every_release_is_reported_once():
    groups = {P + "a": [source(rel("a", link("prior", "gone")), item=0), source(rel("a", link("prior", "gone")), item=1)]}
    assert [p.location.pointer for p in checks.check(groups)] == ["/releases/0/relatedProcesses/0/identifier"]


def test_an_awarded_framework_without_suppliers_is_a_warning():
    techniques = {"techniques": {"hasFrameworkAgreement": True}}
    bare = rel("fw", tender=techniques, awards=[{"id": "1", "status": "active"}])
    named = rel("ok", tender=techniques, awards=[{"id": "1", "status": "active", "suppliers": [{"id": "s", "name": "S"}]}])
    plain = rel("plain", awards=[{"id": "1", "status": "active"}])
    problems = checks.check({P + "fw": [source(bare)], P + "ok": [source(named)], P + "plain": [source(plain)]})
    assert [(p.code, p.location.ocid, p.location.pointer) for p in problems] == [
        ("framework-no-suppliers", P + "fw", "/releases/0/awards")]
