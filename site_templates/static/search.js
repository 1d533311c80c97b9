/* Search with lunr.js over the shards the build wrote (generator/search.py).

   The current shard (open bids, forecasts, departments, guides) is fetched first and answers at
   once; suppliers follow; the archive (awards and closed solicitations by year) is fetched only
   when the visitor asks for it. The query and filters live in the address (?q=…&kind=…), so
   results can be shared and the back button works. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form || !window.lunr) { return; }
  var text = form.dataset;
  var input = form.elements.q;
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var noResults = document.getElementById("no-results");
  var kinds = JSON.parse(text.kinds);
  var dateLabels = JSON.parse(text.dateLabels);
  var root = new URL(text.root, document.baseURI);
  var shards = []; // {index, docs}
  var archiveUrls = [];
  var archiveLoaded = {}; // url -> promise
  var FIELDS = ["q", "kind", "status", "archive"];

  document.getElementById("search-needs-js").hidden = true;

  function load(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status + " for " + url); }
      return r.json();
    }).then(function (data) {
      shards.push({ index: lunr.Index.load(data.index), docs: data.docs });
      return data;
    });
  }

  function loadArchive(years) {
    // The archive's shards, newest year first, each fetched once: "2", "5" or "all" years.
    var wanted = years === "all" ? archiveUrls.length : parseInt(years, 10) || 0;
    var missing = archiveUrls.slice(0, wanted).filter(function (u) { return !archiveLoaded[u]; });
    if (missing.length) { status.textContent = text.loadingArchive; }
    missing.forEach(function (u) { archiveLoaded[u] = load(new URL(u, root).href); });
    return Promise.all(archiveUrls.slice(0, wanted).map(function (u) { return archiveLoaded[u]; }));
  }

  function clauses(query) {
    // Each word: as typed and stemmed (strongest), as a prefix while typing, and with one typo
    // allowed for words of five letters or more.
    return function (q) {
      lunr.tokenizer(query).forEach(function (token) {
        var word = token.toString();
        q.term(token, { boost: 10 });
        q.term(word, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 5 });
        if (word.length >= 5) { q.term(word, { usePipeline: false, editDistance: 1, boost: 1 }); }
      });
    };
  }

  function search(query, chosen) {
    var found = [];
    shards.forEach(function (shard) {
      shard.index.query(clauses(query)).forEach(function (hit) {
        var doc = shard.docs[parseInt(hit.ref, 36)];
        if (!doc) { return; }
        if (chosen.kind && doc[0] !== chosen.kind) { return; }
        if (chosen.status && doc[3] !== chosen.status) { return; }
        found.push({ score: hit.score, doc: doc, ref: doc[2] });
      });
    });
    found.sort(function (a, b) { return b.score - a.score || (a.ref < b.ref ? -1 : 1); });
    return found;
  }

  function item(doc) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = new URL(doc[2], root).href;
    link.textContent = doc[1];
    var heading = document.createElement("h2");
    heading.appendChild(link);
    li.appendChild(heading);
    var meta = document.createElement("p");
    meta.className = "meta";
    var kind = document.createElement("span");
    kind.className = "badge";
    kind.textContent = kinds[doc[0]] || doc[0];
    meta.appendChild(kind);
    var facts = [doc[3], doc[4] ? (dateLabels[doc[0]] ? dateLabels[doc[0]] + " " : "") + doc[4] : "", doc[5], doc[6]]
      .filter(Boolean);
    meta.appendChild(document.createTextNode(" " + facts.join(" · ")));
    li.appendChild(meta);
    return li;
  }

  function values() {
    return {
      q: input.value.trim(),
      kind: form.elements.kind.value,
      status: form.elements.status.value,
      archive: form.elements.archive.value
    };
  }

  function show() {
    var chosen = values();
    list.textContent = "";
    noResults.hidden = true;
    if (!chosen.q) { status.textContent = text.typeMore; return; }
    var found = search(chosen.q, chosen);
    found.slice(0, 100).forEach(function (r) { list.appendChild(item(r.doc)); });
    var message = found.length === 0 ? text.noResults : found.length === 1 ? text.resultsOne : text.resultsMany;
    status.textContent = message.replace("{n}", found.length).replace("{q}", chosen.q);
    noResults.hidden = found.length > 0;
  }

  function address(push) {
    var chosen = values();
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) { if (chosen[name]) { params.set(name, chosen[name]); } });
    var url = location.pathname + (params.toString() ? "?" + params.toString() : "");
    if (url !== location.pathname + location.search) {
      history[push ? "pushState" : "replaceState"](null, "", url);
    }
  }

  function update(push) {
    address(push);
    var chosen = values();
    // Awards are all in the archive: asking for them alone searches the last 2 years at least.
    var years = chosen.archive || (chosen.kind === "award" ? "2" : "");
    var wait = years ? loadArchive(years) : Promise.resolve();
    wait.then(show, show);
  }

  function fromAddress() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    form.elements.kind.value = params.get("kind") || "";
    form.elements.status.value = params.get("status") || "";
    form.elements.archive.value = params.get("archive") || "";
    var header = document.getElementById("site-search-q");
    if (header) { header.value = input.value; }
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { update(false); }, 150);
  });
  form.addEventListener("change", function (event) { if (event.target !== input) { update(true); } });
  form.addEventListener("submit", function (event) { event.preventDefault(); update(true); });
  window.addEventListener("popstate", function () { fromAddress(); update(false); });

  fromAddress();
  status.textContent = text.loading;
  load(text.current).then(function (data) {
    archiveUrls = data.archive || [];
    update(false);
    return load(text.suppliers);
  }).then(function () { update(false); });
}());
