// The search page: reads the index (search.json, whose URL is the form's data-index) once, and
// lists what matches the query as it is typed. Plain script, no dependencies; everything it shows
// is set with textContent, never parsed as HTML. Without JavaScript the page says where the lists are.
(function () {
  "use strict";

  var MAX_RESULTS = 20;
  var DEBOUNCE_MS = 100;
  var KINDS = { announcement: "Announcement", speaker: "Speaker", timeline: "Timeline" };

  var form = document.querySelector("form[role=search][data-index]");
  var input = form && form.querySelector("input[name=q]");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !input || !list) return;

  // Case- and accent-insensitive form of a text: "Nguyễn Tấn Dũng" and "nguyen tan dung" match.
  // NFD splits letters from their accents, which are then dropped; đ has no decomposition.
  function fold(text) {
    return String(text || "")
      .toLowerCase()
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .replace(/đ/g, "d")
      .replace(/ı/g, "i");
  }

  var WORD = /[\p{L}\p{N}]/u;

  // Whether `term` starts a word somewhere in `text` (both folded).
  function startsWord(text, term) {
    for (var at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + 1)) {
      if (at === 0 || !WORD.test(text.charAt(at - 1))) return true;
    }
    return false;
  }

  // The index, folded once: each item keeps what is shown and what is searched.
  function prepare(items) {
    return items
      .filter(function (item) {
        return item && typeof item.url === "string" && KINDS.hasOwnProperty(item.kind);
      })
      .map(function (item, order) {
        var title = item.kind === "speaker" ? item.name : item.title;
        var details = item.kind === "speaker" ? [item.role, item.organization] : [item.summary, item.date_display];
        return {
          item: item,
          order: order,
          title: String(title || ""),
          folded: {
            title: fold(title),
            keywords: fold((item.keywords || []).join(" \u0000 ")),
            details: fold(details.filter(Boolean).join(" \u0000 ")),
          },
        };
      });
  }

  // Items where every term of the query matches some field, best first: a term in the title counts
  // far more than one in the keywords, which counts more than one in the summary or the role.
  function search(entries, query) {
    var terms = fold(query).split(/\s+/).filter(Boolean);
    if (!terms.length) return [];
    var whole = terms.join(" ");
    var found = [];
    entries.forEach(function (entry) {
      var f = entry.folded;
      var score = 0;
      for (var i = 0; i < terms.length; i++) {
        var t = terms[i];
        if (f.title.indexOf(t) !== -1) score += startsWord(f.title, t) ? 100 : 60;
        else if (f.keywords.indexOf(t) !== -1) score += startsWord(f.keywords, t) ? 12 : 8;
        else if (f.details.indexOf(t) !== -1) score += startsWord(f.details, t) ? 3 : 2;
        else return;
      }
      // The whole query as the title (a speaker's full name), or as its start, or in it.
      if (f.title === whole) score += 200;
      else if (f.title.indexOf(whole) === 0) score += 20;
      else if (terms.length > 1 && f.title.indexOf(whole) !== -1) score += 10;
      found.push({ entry: entry, score: score });
    });
    found.sort(function (a, b) {
      return b.score - a.score || a.entry.order - b.entry.order;
    });
    return found.map(function (r) {
      return r.entry;
    });
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function resultItem(entry) {
    var item = entry.item;
    var li = element("li", "search-result");
    var link = element("a", null, entry.title);
    link.href = item.url;
    li.appendChild(link);
    var meta = element("p", "search-meta");
    meta.appendChild(element("span", "search-kind", KINDS[item.kind]));
    var about = item.kind === "speaker" ? [item.role, item.organization].filter(Boolean).join(", ") : item.date_display;
    if (about) meta.appendChild(document.createTextNode(" " + about));
    li.appendChild(meta);
    if (item.kind === "announcement" && item.summary) li.appendChild(element("p", "search-summary", item.summary));
    return li;
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  function show(entries, query) {
    var q = query.trim();
    if (!q) {
      list.replaceChildren();
      say("");
      return;
    }
    var results = search(entries, q);
    var shown = results.slice(0, MAX_RESULTS);
    list.replaceChildren.apply(list, shown.map(resultItem));
    if (!results.length) say("Nothing matches \u201c" + q + "\u201d.");
    else if (results.length > shown.length) say("The first " + shown.length + " of " + results.length + " results for \u201c" + q + "\u201d.");
    else say(results.length + (results.length === 1 ? " result" : " results") + " for \u201c" + q + "\u201d.");
  }

  // Keeps the query in the address, so that a search can be shared and survives going back.
  function remember(query) {
    var url = new URL(window.location.href);
    if (query.trim()) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    if (url.href !== window.location.href) window.history.replaceState(null, "", url.href);
  }

  var index = null;
  var loading = fetch(form.getAttribute("data-index"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(function (items) {
      index = prepare(Array.isArray(items) ? items : []);
      return index;
    });
  // A failure is reported when a search needs the index, not as an unhandled rejection.
  loading.catch(function () {});

  var pending = 0;
  function update() {
    window.clearTimeout(pending);
    var query = input.value;
    remember(query);
    if (index) {
      show(index, query);
      return;
    }
    if (query.trim()) say("Loading the search index\u2026");
    loading.then(
      function (entries) {
        if (input.value === query) show(entries, query);
      },
      function () {
        say("The search index could not be loaded. The announcements, speakers and timeline are listed on their own pages.");
      }
    );
  }

  input.addEventListener("input", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, DEBOUNCE_MS);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update();
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    update();
  }
})();
