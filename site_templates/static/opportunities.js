/* Keeps opportunity pages current and lets vendors filter them. Everything here is an extra:
   without JavaScript the pages say when they were built and offer pre-built filtered lists.

   1. "closes in N days" is recounted from the visitor's clock, in the city's time zone, and
      opportunities whose deadline has passed are marked closed.
   2. On the opportunities list, the filter form (hidden without JavaScript) combines filters and
      sorts instantly. A long list is split into pages; the first change loads the other pages.
      The filters live in the address (?category=…&sort=…), so a filtered list can be shared. */
(function () {
  "use strict";
  var script = document.currentScript;
  var text = script ? script.dataset : {};
  var timeZone = text.timezone || "UTC";

  function dayNumber(date) {
    // The calendar day of `date` in the city's time zone, as days since 1970-01-01.
    var parts = {};
    new Intl.DateTimeFormat("en-US", { timeZone: timeZone, year: "numeric", month: "numeric", day: "numeric" })
      .formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    return Date.UTC(+parts.year, +parts.month - 1, +parts.day) / 86400000;
  }

  function daysLeft(iso, now) {
    // null when there is no deadline, -1 once it has passed, else whole days until its day.
    if (!iso) { return null; }
    var deadline = new Date(iso);
    if (isNaN(deadline)) { return null; }
    if (now > deadline) { return -1; }
    return dayNumber(deadline) - dayNumber(now);
  }

  function countdowns(now) {
    document.querySelectorAll(".days-left[data-deadline]").forEach(function (span) {
      var left = daysLeft(span.dataset.deadline, now);
      if (left === null) { return; }
      var card = span.closest(".card");
      if (left < 0) {
        span.textContent = text.closed;
        span.classList.add("is-closed");
        if (card) {
          card.classList.add("is-closed");
          card.querySelectorAll(".badge-soon").forEach(function (b) { b.hidden = true; });
        }
      } else if (left === 0) {
        span.textContent = text.closesToday;
      } else if (left === 1) {
        span.textContent = text.closesInOne;
      } else {
        span.textContent = text.closesInMany.replace("{n}", left);
      }
    });
    var today = new Intl.DateTimeFormat(document.documentElement.lang || "en", { dateStyle: "long", timeZone: timeZone })
      .format(now);
    document.querySelectorAll("p.as-of").forEach(function (p) {
      p.textContent = text.asOf.replace("{date}", today);
    });
  }

  // --- filters ------------------------------------------------------------------------

  var form = document.getElementById("opportunity-filters");
  var list = document.getElementById("opportunity-list");
  var status = document.getElementById("filter-status");
  var FIELDS = ["category", "department", "method", "value", "closing", "sme", "sort"];
  var loaded = null; // a promise once the other pages have been asked for

  function loadAllPages() {
    if (loaded) { return loaded; }
    var pages = (form.dataset.pages || "").split(" ").filter(Boolean);
    var others = pages.map(function (p) { return new URL(p, document.baseURI); })
      .filter(function (url) { return url.pathname !== location.pathname; });
    if (!others.length) { loaded = Promise.resolve(); return loaded; }
    status.textContent = text.loading;
    var seen = {};
    cards().forEach(function (card) { seen[key(card)] = true; });
    loaded = Promise.all(others.map(function (url) {
      return fetch(url).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
        return { url: url, doc: new DOMParser().parseFromString(html, "text/html") };
      });
    })).then(function (results) {
      results.forEach(function (result) {
        result.doc.querySelectorAll("#opportunity-list > li").forEach(function (card) {
          card.querySelectorAll("a[href]").forEach(function (a) {
            a.setAttribute("href", new URL(a.getAttribute("href"), result.url).href);
          });
          if (!seen[key(card)]) {
            seen[key(card)] = true;
            list.appendChild(document.importNode(card, true));
          }
        });
      });
      document.querySelectorAll(".pager").forEach(function (nav) { nav.hidden = true; });
      countdowns(new Date());
    });
    return loaded;
  }

  function key(card) {
    var a = card.querySelector("a[href]");
    return a ? new URL(a.getAttribute("href"), document.baseURI).pathname : "";
  }

  function cards() {
    return Array.prototype.slice.call(list.children);
  }

  function values() {
    var chosen = {};
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      chosen[name] = field.type === "checkbox" ? (field.checked ? field.value : "") : field.value;
    });
    return chosen;
  }

  function matches(card, chosen, now) {
    var d = card.dataset;
    if (chosen.category && d.category !== chosen.category) { return false; }
    if (chosen.department && d.department !== chosen.department) { return false; }
    if (chosen.method && d.method !== chosen.method) { return false; }
    if (chosen.sme && d.sme !== "yes") { return false; }
    if (chosen.value) {
      var option = form.elements.value.selectedOptions[0];
      var amount = parseFloat(d.value);
      if (d.currency !== option.dataset.currency || isNaN(amount)) { return false; }
      if (option.dataset.low && amount < parseFloat(option.dataset.low)) { return false; }
      if (option.dataset.high && amount >= parseFloat(option.dataset.high)) { return false; }
    }
    if (chosen.closing) {
      var left = d.stage === "open" ? daysLeft(d.deadline, now) : null;
      if (left === null || left < 0 || left > parseInt(chosen.closing, 10)) { return false; }
    }
    return true;
  }

  function compare(sort) {
    function time(v) { var t = Date.parse(v); return isNaN(t) ? null : t; }
    function nullsLast(a, b, descending) {
      if (a === null && b === null) { return 0; }
      if (a === null) { return 1; }
      if (b === null) { return -1; }
      return descending ? b - a : a - b;
    }
    return function (x, y) {
      var a = x.dataset, b = y.dataset, order;
      if (sort === "newest") {
        order = nullsLast(time(a.published), time(b.published), true);
      } else if (sort === "value") {
        order = nullsLast(a.value === "" ? null : parseFloat(a.value), b.value === "" ? null : parseFloat(b.value), true);
      } else {
        order = nullsLast(time(a.deadline), time(b.deadline), false);
      }
      return order || (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0);
    };
  }

  function apply(updateAddress) {
    var chosen = values();
    var now = new Date();
    var all = cards();
    all.sort(compare(chosen.sort)).forEach(function (card) { list.appendChild(card); });
    var shown = 0;
    all.forEach(function (card) {
      var keep = matches(card, chosen, now);
      card.hidden = !keep;
      if (keep) { shown += 1; }
    });
    status.textContent = text.showing.replace("{shown}", shown).replace("{total}", all.length);
    if (updateAddress) {
      var params = new URLSearchParams();
      FIELDS.forEach(function (name) {
        if (chosen[name] && !(name === "sort" && chosen[name] === "deadline")) { params.set(name, chosen[name]); }
      });
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }
  }

  function update() {
    loadAllPages().then(function () { apply(true); });
  }

  countdowns(new Date());
  if (form && list && status) {
    // The form has its place from the start (site.css hides it only without JavaScript); on a
    // phone it starts folded behind one button, which opens it, as does a filtered address.
    var toggle = document.querySelector(".filter-toggle[aria-controls='" + form.id + "']");
    var unfold = function (open) { if (toggle) { toggle.setAttribute("aria-expanded", String(open)); } };
    if (toggle) {
      toggle.addEventListener("click", function () { unfold(toggle.getAttribute("aria-expanded") !== "true"); });
    }
    var params = new URLSearchParams(location.search);
    var any = false;
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      var wanted = params.get(name);
      if (wanted === null || !field) { return; }
      if (field.type === "checkbox") {
        field.checked = wanted === field.value;
      } else if (Array.prototype.some.call(field.options, function (o) { return o.value === wanted; })) {
        field.value = wanted;
      }
      any = true;
    });
    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    form.addEventListener("reset", function () { setTimeout(update, 0); });
    if (any) { unfold(true); update(); }
  }
}());
