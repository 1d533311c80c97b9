/* Search with lunr.js over the shards the build wrote (generator/publish/search.py).

   The current shard (open bids, forecasts, departments, guides) is fetched first and answers at
   once; suppliers follow; the archive (awards and closed solicitations by year) is searched when
   the visitor includes it, and otherwise fetched after the results are shown, within a budget, to
   say how many more results it holds. A query that could be a reference (an ocid, a bid number)
   is looked up exactly in the one references file it hashes to. The query and filters live in the
   address (?q=…&kind=…), so results can be shared and the back button works.

   Words are read as the build read them (generator/publish/search_language.py): the page's
   language's stop words and stemmer (lunr-languages, loaded before this script, for a language
   other than English), and accents folded off ("licitacion" finds "licitación"). Kinds and
   statuses come as codes, labelled with the page's words. */
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
  var stages = JSON.parse(text.stages);
  var scales = JSON.parse(text.scales);
  var lang = (document.documentElement.lang || "en").split("-")[0].toLowerCase();
  var language = lang !== "en" && lunr[lang] ? lunr[lang] : null;
  var stopWordFilter = language ? language.stopWordFilter : lang === "en" ? lunr.stopWordFilter : null;

  function plural(forms, n) {
    // The message for count `n` in the page's language: its forms by plural category (the page
    // gives them, as JSON) and the language's rule (Intl.PluralRules), the number as it writes it.
    var chosen = JSON.parse(forms);
    return (chosen[new Intl.PluralRules(lang).select(n)] || chosen.other).split("{n}").join(new Intl.NumberFormat(lang).format(n));
  }
  var dateLabels = JSON.parse(text.dateLabels);
  var root = new URL(text.root, document.baseURI);
  var current = new URL(text.current, document.baseURI).href;
  var suppliers = new URL(text.suppliers, document.baseURI).href;
  var archive = []; // {url, docs}: the archive's shards, newest year first
  var referenceFiles = [];
  var loaded = {}; // url -> {index, docs} for a shard, the file itself for references; null if it failed
  var pending = {}; // url -> promise
  var FIELDS = ["q", "kind", "status", "archive"];
  // The archive is counted in the background up to this many documents (about 700 KB to fetch,
  // measured on 10,000 synthetic processes): all of it, else the last 5 or 2 years, as the "Past
  // awards" choice offers.
  var COUNT_BUDGET = 5000;

  document.getElementById("search-needs-js").hidden = true;

  // search_language.fold: NFD, then every combining mark dropped.
  function fold(word) { return word.normalize("NFD").replace(/\p{M}/gu, ""); }
  lunr.Pipeline.registerFunction(function (token) { return token.update(fold); }, "foldAccents");

  function fetchJson(url, keep) {
    if (!pending[url]) {
      pending[url] = fetch(url).then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status + " for " + url); }
        return r.json();
      }).then(function (data) {
        loaded[url] = keep(data);
        return data;
      }, function (error) {
        loaded[url] = null;
        throw error;
      });
    }
    return pending[url];
  }

  function fetchShard(url) {
    return fetchJson(url, function (data) { return { index: lunr.Index.load(data.index), docs: data.docs }; });
  }

  function ready(urls) {
    return Promise.all(urls.map(function (u) { return fetchShard(u).catch(function () { return null; }); }));
  }

  // References: the same normalisation and hash as search.py's reference() and reference_file().
  function reference(query) {
    var value = query.normalize("NFKC").toLowerCase().replace(/[\u2010-\u2015\u2212]/g, "-");
    value = value.split(/\s+/).filter(Boolean).join(" ").replace(/^["'\u2018\u2019\u201c\u201d\u00ab\u00bb]+|["'\u2018\u2019\u201c\u201d\u00ab\u00bb]+$/g, "").trim();
    return value.length >= 5 && /\d/.test(value) ? value : "";
  }

  function referenceFile(value) {
    var h = 0x811c9dc5;
    new TextEncoder().encode(value).forEach(function (byte) { h = Math.imul(h ^ byte, 0x01000193) >>> 0; });
    return referenceFiles.length ? referenceFiles[h % referenceFiles.length] : null;
  }

  function exact(query) {
    // The results a reference names, or null: not a reference, or its file is not loaded yet.
    var ref = reference(query);
    var file = ref && referenceFile(ref);
    var data = file && loaded[file];
    if (!data || !Object.prototype.hasOwnProperty.call(data.refs, ref)) { return null; }
    return data.refs[ref].map(function (n) { return { doc: data.docs[n] }; });
  }

  function words(query) {
    // The query's words as the index holds them (trimmed, lower case), each once; stop words
    // ("the", "of") only when there is nothing else.
    var all = lunr.tokenizer(query).map(function (token) {
      return token.toString().replace(/^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu, "");
    }).filter(function (word, i, seen) { return word && seen.indexOf(word) === i; });
    var kept = stopWordFilter ? all.filter(function (word) { return stopWordFilter(word) !== undefined; }) : all;
    return (kept.length ? kept : all).map(fold).filter(function (word, i, seen) { return seen.indexOf(word) === i; });
  }

  function matches(index, word) {
    // One word: as typed and stemmed (strongest), as a prefix while typing, and with one typo
    // allowed for words of five letters or more. Ref -> score.
    var scores = {};
    index.query(function (q) {
      q.term(word, { boost: 10 });
      q.term(word, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 5 });
      if (word.length >= 5) { q.term(word, { usePipeline: false, editDistance: 1, boost: 1 }); }
    }).forEach(function (hit) { scores[hit.ref] = hit.score; });
    return scores;
  }

  function search(query, chosen, urls) {
    // Every word must match (lunr's required terms cannot require "this word or its typo or its
    // prefix", so each word is a query of its own and the documents all of them find are kept).
    var terms = words(query);
    var found = [];
    urls.forEach(function (url) {
      var shard = loaded[url];
      if (!shard || !terms.length) { return; }
      var scores = matches(shard.index, terms[0]);
      terms.slice(1).forEach(function (word) {
        var more = matches(shard.index, word);
        Object.keys(scores).forEach(function (ref) {
          if (ref in more) { scores[ref] += more[ref]; } else { delete scores[ref]; }
        });
      });
      Object.keys(scores).forEach(function (ref) {
        var doc = shard.docs[parseInt(ref, 36)];
        if (!doc) { return; }
        if (chosen.kind && doc[0] !== chosen.kind) { return; }
        if (chosen.status && stage(doc) !== chosen.status) { return; }
        found.push({ score: scores[ref], doc: doc });
      });
    });
    found.sort(function (a, b) { return b.score - a.score || (a.doc[2] < b.doc[2] ? -1 : 1); });
    return found;
  }

  function stage(doc) {
    // The status as built, unless the visitor's clock says an open bid's deadline has passed.
    var deadline = doc[7] ? Date.parse(doc[7]) : NaN;
    return !isNaN(deadline) && Date.now() > deadline ? "closed" : doc[3];
  }

  function statusText(doc) {
    // A process's stage, or an organisation's size, in the page's words.
    var code = stage(doc);
    var words = doc[0] === "supplier" || doc[0] === "department" ? scales : stages;
    return Object.prototype.hasOwnProperty.call(words, code) ? words[code] : code;
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
    var facts = [statusText(doc), doc[4] ? (dateLabels[doc[0]] ? dateLabels[doc[0]] + " " : "") + doc[4] : "", doc[5], doc[6]]
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

  function years(chosen) {
    // How many of the archive's shards are searched: awards are all in the archive, so asking for
    // them alone searches the last 2 years at least.
    var wanted = chosen.archive || (chosen.kind === "award" ? "2" : "");
    return wanted === "all" ? archive.length : Math.min(parseInt(wanted, 10) || 0, archive.length);
  }

  function counted(chosen) {
    // What the background count covers: {choice, shards} (every year, else the last 5 or 2).
    var levels = [["all", archive.length], ["5", 5], ["2", 2]];
    for (var i = 0; i < levels.length; i++) {
      var n = Math.min(levels[i][1], archive.length);
      var docs = archive.slice(0, n).reduce(function (sum, shard) { return sum + shard.docs; }, 0);
      if ((docs <= COUNT_BUDGET || levels[i][0] === "2") && n > years(chosen)) {
        return { choice: n === archive.length ? "all" : levels[i][0], shards: archive.slice(years(chosen), n) };
      }
      if (docs <= COUNT_BUDGET) { break; }
    }
    return null;
  }

  function urlsOf(shards) { return shards.map(function (s) { return s.url; }); }

  function shown(chosen) { return [current, suppliers].concat(urlsOf(archive.slice(0, years(chosen)))); }

  var lastMessage = "";
  var shownFor = "";

  function say(message, link) {
    // The status line, with a link that includes the past years when they hold more results.
    lastMessage = message;
    status.textContent = message;
    if (!link) { return; }
    var params = new URLSearchParams(location.search);
    params.set("archive", link.choice);
    var a = document.createElement("a");
    a.id = "search-more";
    a.href = location.pathname + "?" + params.toString();
    a.textContent = plural(link.choice === "all" ? text.more : text.moreRecent, link.count).replace("{years}", link.choice);
    a.addEventListener("click", function (event) {
      event.preventDefault();
      form.elements.archive.value = link.choice;
      update(true);
    });
    status.appendChild(document.createTextNode(" "));
    status.appendChild(a);
  }

  function pastYears(chosen) {
    // What the years left out hold: {waiting} while they load, else {link} when they hold more.
    var count = counted(chosen);
    if (!count) { return {}; }
    var urls = urlsOf(count.shards);
    if (urls.some(function (u) { return loaded[u] === undefined; })) { return { waiting: urls }; }
    var more = search(chosen.q, chosen, urls).length;
    return more ? { link: { count: more, choice: count.choice } } : {};
  }

  function show() {
    var chosen = values();
    shownFor = JSON.stringify(chosen);
    list.textContent = "";
    noResults.hidden = true;
    if (!chosen.q) { status.textContent = text.typeMore; return; }
    var named = exact(chosen.q);
    var found = named || search(chosen.q, chosen, shown(chosen));
    found.slice(0, 100).forEach(function (r) { list.appendChild(item(r.doc)); });
    var past = named ? {} : pastYears(chosen);
    var message = found.length === 0 ? (past.link ? text.noCurrentResults : text.noResults)
      : plural(text.results, found.length);
    message = message.split("{q}").join(chosen.q);
    if (found.length === 0 && past.waiting) {
      status.textContent = text.loadingArchive;
    } else {
      say(message, past.link);
    }
    noResults.hidden = found.length > 0 || Boolean(past.link || past.waiting);
    if (past.waiting) { ready(past.waiting).then(recount); }
  }

  function recount() {
    // The years left out have loaded: add their link without redrawing results the visitor may be
    // reading (with none shown, show everything again).
    if (JSON.stringify(values()) !== shownFor) { return; }
    if (list.children.length === 0) { show(); return; }
    var past = pastYears(values());
    if (past.link && !document.getElementById("search-more")) { say(lastMessage, past.link); }
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
    var needed = shown(chosen).filter(function (u) { return loaded[u] === undefined && u !== suppliers; });
    if (needed.some(function (u) { return archive.some(function (s) { return s.url === u; }); })) {
      status.textContent = text.loadingArchive;
    }
    var ref = reference(chosen.q);
    var file = ref && referenceFile(ref);
    var waits = [ready(needed)];
    if (file) { waits.push(fetchJson(file, function (data) { return data; }).catch(function () { return null; })); }
    Promise.all(waits).then(show);
  }

  function statusCode(value) {
    // A status as the address gives it: a code ("open"), or its label in this page's words
    // ("Open for bids", as addresses were written before statuses were codes).
    if (!value || Object.prototype.hasOwnProperty.call(stages, value)) { return value; }
    return Object.keys(stages).filter(function (code) { return stages[code] === value; })[0] || "";
  }

  function fromAddress() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    form.elements.kind.value = params.get("kind") || "";
    form.elements.status.value = statusCode(params.get("status") || "");
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
  fetchShard(current).then(function (data) {
    archive = (data.archive || []).map(function (path, i) {
      return { url: new URL(path, root).href, docs: (data.archiveDocs || [])[i] || 0 };
    });
    referenceFiles = (data.references || []).map(function (path) { return new URL(path, root).href; });
    update(false);
    return fetchShard(suppliers);
  }).then(function () { update(false); });
}());
