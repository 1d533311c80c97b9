/* Keeps opportunity pages true after the build and lets vendors filter them. Everything here is an
   extra: without JavaScript the pages say when their information dates from (status_note) and
   offer pre-built filtered lists.

   1. Statuses: what the build decided with its own "today" is decided again from the visitor's
      clock, in the city's time zone, with the model's rules (generator/site/process.py): "closes
      in N days", the open, closing soon and new badges, which list a bid belongs in (a bid that
      closed leaves the open lists, named in a note; one that now closes within N days joins that
      list) and every count marked data-count. A clock earlier than the build's day counts as that
      day. The note at the top says when the information dates from and warns once it is more
      than a day old.
   2. On the opportunities list, the filter form (hidden without JavaScript) combines filters and
      sorts instantly. A long list is split into pages; the first change loads the other pages.
      The filters live in the address (?category=…&sort=…), so a filtered list can be shared. */
(function () {
  "use strict";
  var script = document.currentScript;
  var text = script ? script.dataset : {};
  var timeZone = text.timezone || "UTC";
  var lang = document.documentElement.lang || "en";
  var SOON = parseInt(text.soonDays || "7", 10);
  var NEW = parseInt(text.newDays || "7", 10);
  var built = (text.built || "").split("-");
  var BUILT = built.length === 3 ? Date.UTC(+built[0], +built[1] - 1, +built[2]) / 86400000 : -Infinity;

  function plural(forms, n) {
    // The message for count `n` in the page's language: its forms by plural category (the page
    // gives them, as JSON) and the language's rule (Intl.PluralRules), the number as it writes it.
    var chosen = JSON.parse(forms);
    return (chosen[new Intl.PluralRules(lang).select(n)] || chosen.other).split("{n}").join(new Intl.NumberFormat(lang).format(n));
  }

  function dayNumber(date) {
    // The calendar day of `date` in the city's time zone, as days since 1970-01-01.
    var parts = {};
    new Intl.DateTimeFormat("en-US", { timeZone: timeZone, year: "numeric", month: "numeric", day: "numeric" })
      .formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    return Date.UTC(+parts.year, +parts.month - 1, +parts.day) / 86400000;
  }

  function today(now) {
    // The visitor's day; the information dates from the build's day, so it is not earlier.
    return Math.max(dayNumber(now), BUILT);
  }

  function daysLeft(when, now) {
    // null without a deadline (ISO text or milliseconds), -1 once it has passed, else whole days until its day.
    if (when === undefined || when === null || when === "") { return null; }
    var deadline = new Date(when);
    if (isNaN(deadline)) { return null; }
    if (now > deadline) { return -1; }
    return Math.max(dayNumber(deadline) - today(now), 0);
  }

  function closesWithin(when, days, now) {
    var left = daysLeft(when, now);
    return left !== null && left >= 0 && (days === null || left <= days);
  }

  function countdowns(now) {
    document.querySelectorAll(".days-left[data-deadline]").forEach(function (span) {
      var left = daysLeft(span.dataset.deadline, now);
      if (left === null) { return; }
      if (left < 0) {
        span.textContent = text.closed;
        span.classList.add("is-closed");
      } else if (left === 0) {
        span.textContent = text.closesToday;
      } else {
        span.textContent = plural(text.closesIn, left);
      }
    });
  }

  function badges(now) {
    // An open bid's stage badge carries its deadline, for the badges beside it too (_macros.html badges()).
    function deadline(badge) {
      var stage = badge.parentNode.querySelector(".badge[data-deadline]");
      return stage ? stage.dataset.deadline : null;
    }
    document.querySelectorAll(".badge-open[data-deadline]").forEach(function (badge) {
      if (daysLeft(badge.dataset.deadline, now) < 0) {
        badge.classList.replace("badge-open", "badge-closed");
        badge.textContent = text.closed;
      }
    });
    document.querySelectorAll(".badge-soon").forEach(function (badge) {
      var when = deadline(badge);
      if (when) { badge.hidden = !closesWithin(when, SOON, now); }
    });
    document.querySelectorAll(".badge-new[data-published]").forEach(function (badge) {
      var published = new Date(badge.dataset.published);
      var age = today(now) - dayNumber(published);
      var when = deadline(badge);
      badge.hidden = isNaN(published) || age < 0 || age >= NEW || (when !== null && daysLeft(when, now) < 0);
    });
  }

  function count(element, now) {
    // How many of the opportunities in its data-count ("+k t t*n", publish/formats.counted; the
    // page's own when empty) count now: the k others always, an open bid until its deadline and,
    // with data-within, only while it closes within that many days.
    var within = element.dataset.within === undefined ? null : parseInt(element.dataset.within, 10);
    var total = 0;
    (element.dataset.count || text.counted || "").split(" ").forEach(function (word) {
      if (!word) { return; }
      if (word.charAt(0) === "+") {
        if (within === null) { total += parseInt(word.slice(1), 10); }
        return;
      }
      var parts = word.split("*");
      if (closesWithin(parseInt(parts[0], 10) * 1000, within, now)) { total += parts.length > 1 ? parseInt(parts[1], 10) : 1; }
    });
    return total;
  }

  function counts(now) {
    var number = new Intl.NumberFormat(lang);
    document.querySelectorAll("[data-count]").forEach(function (element) {
      if (element.tagName === "OL") { return; }
      var n = count(element, now), d = element.dataset;
      if (element.tagName === "OPTION") {  // "Its name (N)"
        element.textContent = element.textContent.replace(/\([^()]*\)$/, "(" + number.format(n) + ")");
      } else {
        element.textContent = d.many ? (n === 1 && d.one ? d.one : d.many).replace("{n}", number.format(n)) : number.format(n);
      }
    });
  }

  function isOpen(card, now) {
    return card.dataset.stage !== "open" || daysLeft(card.dataset.deadline, now) !== -1;
  }

  function closedNote(list, closed) {
    // The bids that closed since the build, under their list, each linking to its page.
    var note = list.nextElementSibling;
    if (!note || !note.classList.contains("closed-since")) {
      if (!closed.length) { return; }
      note = document.createElement("div");
      note.className = "closed-since";
      note.setAttribute("role", "note");
      list.parentNode.insertBefore(note, list.nextSibling);
    }
    note.textContent = "";
    note.hidden = !closed.length;
    var intro = document.createElement("p");
    intro.textContent = text.closedSince;
    var names = document.createElement("ul");
    closed.forEach(function (card) {
      var link = card.querySelector("h2 a, h3 a");
      if (!link) { return; }
      var item = document.createElement("li");
      var copy = document.createElement("a");
      copy.href = link.href;
      copy.textContent = link.textContent;
      item.appendChild(copy);
      names.appendChild(item);
    });
    note.appendChild(intro);
    note.appendChild(names);
  }

  function lists(now) {
    // A bid whose deadline now falls within N days moves from the list of later ones into that list.
    document.querySelectorAll("ol.cards[data-after]").forEach(function (from) {
      var to = document.querySelector('ol.cards[data-within="' + from.dataset.after + '"]');
      if (!to) { return; }
      Array.prototype.slice.call(from.children).forEach(function (card) {
        if (card.dataset.stage === "open" && closesWithin(card.dataset.deadline, parseInt(from.dataset.after, 10), now)) {
          to.appendChild(card);
        }
      });
    });
    document.querySelectorAll("ol.cards").forEach(function (list) {
      var cards = Array.prototype.slice.call(list.children);
      var closed = cards.filter(function (card) { return !isOpen(card, now); });
      closed.forEach(function (card) {
        card.classList.add("is-closed");
        card.hidden = true;
      });
      closedNote(list, closed);
      var shown = cards.length - closed.length;
      list.hidden = shown === 0;
      if (list.dataset.count === undefined) { return; }
      // A list that stands for a count: "all N …" when it shows fewer, "none" when there are none.
      var need = count(list, now);
      var more = list.parentNode.querySelector("[data-more]");
      var none = list.parentNode.querySelector("[data-when-none]");
      if (more) { more.hidden = need <= shown; }
      if (none) { none.hidden = need > 0; }
    });
  }

  function notice(now) {
    var note = document.getElementById("status-note");
    if (!note || !text.fresh || BUILT === -Infinity) { return; }
    var day = today(now);
    var date = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(day * 86400000));
    var stale = day - BUILT > 1;
    note.textContent = (stale ? text.stale : text.fresh).replace("{date}", date);
    note.classList.toggle("is-stale", stale);
  }

  function statuses(now) {
    countdowns(now);
    badges(now);
    lists(now);
    counts(now);
    notice(now);
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
      statuses(new Date());
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
    if (!isOpen(card, now)) { return false; }
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
    var total = all.filter(function (card) { return isOpen(card, now); }).length;
    status.textContent = plural(text.showing, total).replace("{shown}", new Intl.NumberFormat(lang).format(shown));
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

  statuses(new Date());
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
