/* Combines the filters of the award lists. Everything here is an extra: without JavaScript the
   "Filter awards" links lead to pre-built lists (one per department, year, method and value band,
   newest first and largest first), and every supplier has its own page.

   With it, a form (hidden without JavaScript) replaces those links. One filter, or none, opens
   the pre-built list. Several filters, or a supplier's name, load every page of the smallest
   pre-built list chosen (in the chosen order, so nothing needs sorting here) and keep the rows
   that match them all. The choice lives in the address (?department=…&year=…&sort=value), so a
   filtered view can be shared and reloaded. A list too long to load (more than data-max-pages
   pages) is not loaded: the visitor is asked to choose a department or a year first, or offered
   the smallest chosen list to browse page by page. */
(function () {
  "use strict";
  var script = document.currentScript;
  var text = script ? script.dataset : {};
  var lang = document.documentElement.lang || "en";

  function plural(forms, n) {
    // The message for count `n` in the page's language: its forms by plural category (the page
    // gives them, as JSON) and the language's rule (Intl.PluralRules), the number as it writes it.
    var chosen = JSON.parse(forms);
    return (chosen[new Intl.PluralRules(lang).select(n)] || chosen.other).split("{n}").join(new Intl.NumberFormat(lang).format(n));
  }
  var form = document.getElementById("award-filters");
  var nav = document.getElementById("award-filter-links");
  var body = document.getElementById("award-rows");
  var status = document.getElementById("award-status");
  if (!form || !nav || !body || !status) { return; }

  var KINDS = ["department", "year", "method", "value"];
  var FIELDS = KINDS.concat(["supplier", "sort"]);
  var settings = form.dataset;
  var perPage = parseInt(settings.perPage, 10) || 50;
  var maxPages = parseInt(settings.maxPages, 10) || 40;
  var lists = {}; // kind -> key -> {newest: URL of its first page, newest first, n: awards, title}
  var defaults = { supplier: "", sort: settings.sort }; // what this page shows before any choice
  var everything = null; // the list of every award
  var original = Array.prototype.slice.call(body.children); // this page's own rows
  var loaded = {}; // first-page URL -> promise of that list's rows

  function suffix() { return settings.byValue + "/"; }

  function newestUrl(link) {
    // Links lead to lists in this page's order; a list's largest-first pages sit in its by-value/ folder.
    var url = new URL(link.getAttribute("href"), document.baseURI).href;
    return settings.sort === "value" && url.slice(-suffix().length) === suffix() ? url.slice(0, -suffix().length) : url;
  }

  function describe(link) {
    return { newest: newestUrl(link), n: parseInt(link.dataset.n, 10) || 0, title: link.textContent };
  }

  function pageUrl(list, sort, page) {
    var first = sort === "value" ? list.newest + suffix() : list.newest;
    return page > 1 ? first + settings.pageFolder + "/" + page + "/" : first;
  }

  // The form's choices come from the links it replaces: the same lists, counts and names.
  KINDS.forEach(function (kind) {
    var select = form.elements[kind];
    lists[kind] = {};
    defaults[kind] = "";
    nav.querySelectorAll('ul[data-kind="' + kind + '"] a[data-key]').forEach(function (link) {
      var key = link.dataset.key;
      var count = link.parentNode.querySelector(".count");
      var option = document.createElement("option");
      option.value = key;
      option.textContent = link.textContent + (count ? " " + count.textContent : "");
      select.appendChild(option);
      lists[kind][key] = describe(link);
      if (link.getAttribute("aria-current") === "page") { defaults[kind] = key; }
    });
    select.value = defaults[kind];
  });
  everything = describe(nav.querySelector("a[data-all]"));

  function values() {
    var chosen = {};
    FIELDS.forEach(function (name) { chosen[name] = form.elements[name].value; });
    chosen.supplier = chosen.supplier.trim();
    return chosen;
  }

  function rowsOf(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var rows = doc.getElementById("award-rows");
    return Array.prototype.map.call(rows ? rows.children : [], function (row) {
      row.querySelectorAll("a[href]").forEach(function (a) {
        a.setAttribute("href", new URL(a.getAttribute("href"), url).href);
      });
      return document.importNode(row, true);
    });
  }

  function load(list, sort, pages) {
    var first = pageUrl(list, sort, 1);
    if (!loaded[first]) {
      var urls = [];
      for (var n = 1; n <= pages; n += 1) { urls.push(pageUrl(list, sort, n)); }
      loaded[first] = Promise.all(urls.map(function (url) {
        if (new URL(url).pathname === location.pathname) { return Promise.resolve(original); }
        return fetch(url).then(function (response) {
          if (!response.ok) { throw new Error(response.status + " " + url); }
          return response.text();
        }).then(function (html) { return rowsOf(html, url); });
      })).then(function (parts) { return [].concat.apply([], parts); });
      loaded[first].catch(function () { delete loaded[first]; });
    }
    return loaded[first];
  }

  function matches(row, chosen) {
    var data = row.dataset;
    for (var i = 0; i < KINDS.length; i += 1) {
      if (chosen[KINDS[i]] && data[KINDS[i]] !== chosen[KINDS[i]]) { return false; }
    }
    return !chosen.supplier || (data.suppliers || "").toLowerCase().indexOf(chosen.supplier.toLowerCase()) >= 0;
  }

  function summary(chosen) {
    var parts = KINDS.filter(function (kind) { return chosen[kind]; }).map(function (kind) {
      return form.querySelector('label[for="award-' + kind + '"]').textContent + ": " + lists[kind][chosen[kind]].title;
    });
    if (chosen.supplier) { parts.push(text.supplier.replace("{text}", chosen.supplier)); }
    return text.summary.replace("{filters}", parts.join("; "))
      .replace("{order}", chosen.sort === "value" ? text.largest : text.newest);
  }

  function remember(chosen) {
    // Only what differs from this page's own list, so the address reloads to the same view.
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) {
      if (chosen[name] !== defaults[name]) { params.set(name, chosen[name]); }
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function tooLong(source, chosen, pages) {
    // Hundreds of pages are not loaded. Without a department or a year, ask for one; with one,
    // offer the smallest chosen list to browse page by page.
    status.textContent = "";
    if (!chosen.department && !chosen.year) {
      status.textContent = plural(text.tooMany, pages);
      return;
    }
    var link = document.createElement("a");
    link.href = pageUrl(source, chosen.sort, 1);
    link.textContent = text.browse.replace("{list}", source.title);
    status.appendChild(document.createTextNode(plural(text.tooLong, pages) + " "));
    status.appendChild(link);
  }

  function show(chosen, updateAddress) {
    var picked = KINDS.filter(function (kind) { return chosen[kind]; })
      .map(function (kind) { return lists[kind][chosen[kind]]; });
    var source = picked.reduce(function (a, b) { return b.n < a.n ? b : a; }, everything);
    var pages = Math.max(1, Math.ceil(source.n / perPage));
    if (pages > maxPages) {
      tooLong(source, chosen, pages);
      return Promise.resolve();
    }
    status.textContent = text.loading;
    return load(source, chosen.sort, pages).then(function (rows) {
      var shown = rows.filter(function (row) { return matches(row, chosen); });
      body.textContent = "";
      shown.forEach(function (row) { body.appendChild(row); });
      // The pager and the sort links are the pre-built list's; the form now says what is shown.
      document.querySelectorAll(".pager, .sort-links").forEach(function (element) { element.hidden = true; });
      var title = document.querySelector("main h1");
      var caption = body.closest("table").querySelector("caption");
      var showing = plural(text.showing, everything.n).replace("{shown}", new Intl.NumberFormat(lang).format(shown.length));
      var city = document.title.lastIndexOf(" · ");
      document.title = text.title + (city >= 0 ? document.title.slice(city) : "");
      title.textContent = text.title;
      caption.textContent = text.title;
      document.getElementById("awards-lead").textContent = summary(chosen) + " " + showing;
      status.textContent = showing;
      if (updateAddress) { remember(chosen); }
    }, function () {
      status.textContent = text.failed;
    });
  }

  form.hidden = false;
  nav.hidden = true;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = values();
    var picked = KINDS.filter(function (kind) { return chosen[kind]; });
    if (picked.length > 1 || chosen.supplier) {
      show(chosen, true);
    } else {
      // One filter or none: the pre-built list says it all, and is its own address.
      location.assign(pageUrl(picked.length ? lists[picked[0]][chosen[picked[0]]] : everything, chosen.sort, 1));
    }
  });

  var params = new URLSearchParams(location.search);
  var any = false;
  FIELDS.forEach(function (name) {
    var field = form.elements[name];
    var wanted = params.get(name);
    if (wanted === null) { return; }
    if (field.tagName === "SELECT" && !Array.prototype.some.call(field.options, function (o) { return o.value === wanted; })) {
      return;
    }
    field.value = wanted;
    any = true;
  });
  if (any) { show(values(), false); }
}());
