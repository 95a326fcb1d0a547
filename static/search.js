// The search page: full-text search through the Pagefind index of the page's language (the
// bundle named by #search's data-bundle), loaded on demand from this site and nowhere else.
// Results appear as the query is typed; the query, filters and order live in the address
// (?q=...&topic=...&sort=date), so that a search can be shared. Results are links, reachable
// with Tab (or the arrow keys from the field), and #search-status, a live region, says how many
// there are. Excerpts come from the index; only their text and their <mark> highlights are
// shown, never their markup. Without the index (a preview built without --search) the page says
// how to get it.

const root = document.getElementById("search");
const form = document.querySelector("form[role=search]");
const input = document.getElementById("search-q");
const list = document.getElementById("search-results");
const status = document.getElementById("search-status");
const more = document.getElementById("search-more");
const sort = document.getElementById("search-sort");
const selects = [...document.querySelectorAll("#search select[data-filter]")];
const PAGE = 10;
const DEBOUNCE_MS = 150;

const words = root ? root.dataset : {};
const plural = new Intl.PluralRules(document.documentElement.lang || "en");

/** A status line from a message of the page, with %n (a number) and %q (the query) filled in. */
function say(message, n, q) {
  const number = new Intl.NumberFormat(document.documentElement.lang || "en").format(n);
  return String(message || "").replaceAll("%n", number).replaceAll("%q", q);
}

/** The excerpt's text, with its <mark> highlights kept and nothing else of its markup. */
function excerpt(html) {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html").body;
  const out = document.createDocumentFragment();
  for (const node of parsed.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      out.append(node.textContent);
    } else if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(node.textContent);
    }
  }
  return out;
}

/** One result as a list item: its title as a link, its kind and date, and the excerpt. */
function item(data) {
  const li = document.createElement("li");
  const heading = document.createElement("p");
  heading.className = "search-title";
  const a = document.createElement("a");
  a.href = data.url;
  a.textContent = data.meta?.title || data.url;
  heading.append(a);
  li.append(heading);
  const kind = data.filters?.kind?.[0];
  const details = [data.meta?.date, data.meta?.role].filter(Boolean).join(" · ");
  if (kind || details) {
    const meta = document.createElement("p");
    meta.className = "search-meta meta";
    if (kind) {
      const k = document.createElement("span");
      k.className = "search-kind";
      k.textContent = kind;
      meta.append(k);
      if (details) meta.append(" · ");
    }
    if (details) meta.append(details);
    li.append(meta);
  }
  if (data.excerpt) {
    const p = document.createElement("p");
    p.className = "search-excerpt";
    p.append(excerpt(data.excerpt));
    li.append(p);
  }
  return li;
}

/** What the address says to search for. */
function fromAddress() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  for (const s of selects) s.dataset.wanted = params.get(s.name) || "";
  sort.value = params.get("sort") === "date" ? "date" : "";
}

/** Puts the query, filters and order into the address, without a new history entry. */
function toAddress() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const s of selects) if (s.value) params.set(s.name, s.value);
  if (sort.value) params.set("sort", sort.value);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

/** Fills each filter's list with the values the index knows, with their counts. */
function fillFilters(available) {
  for (const s of selects) {
    const values = Object.entries(available[s.dataset.filter] || {});
    values.sort(([a], [b]) => (s.dataset.filter === "year" ? b.localeCompare(a) : a.localeCompare(b)));
    s.replaceChildren(new Option(words.any, ""));
    for (const [value, count] of values) s.append(new Option(`${value} (${count})`, value));
    const current = s.value || s.dataset.wanted;
    s.value = values.some(([v]) => v === current) ? current : "";
    s.closest(".search-filter").hidden = values.length === 0;
  }
}

async function main() {
  if (!root || !form || !input || !list) return;
  fromAddress();
  status.textContent = words.loading;
  let pagefind;
  try {
    pagefind = await import(new URL("pagefind.js", new URL(words.bundle, location.href)).href);
  } catch {
    status.textContent = "";
    document.getElementById("search-unavailable").hidden = false;
    return;
  }
  root.hidden = false;
  try {
    // The index stores each page's whole path, base path included.
    await pagefind.options({ baseUrl: "/", excerptLength: 24 });
    await pagefind.init();
  } catch {
    status.textContent = words.failed;
    return;
  }

  // The filters' values come from files of their own: fetched when the address names a filter
  // or the reader reaches the filters, not for every search.
  let filtersLoaded = null;
  const loadFilters = () =>
    (filtersLoaded ??= pagefind
      .filters()
      .then(fillFilters)
      .catch(() => {}));
  for (const s of selects) s.append(new Option(words.any, ""));
  root.querySelector(".search-controls").addEventListener("focusin", loadFilters);
  root.querySelector(".search-controls").addEventListener("pointerdown", loadFilters);
  if (selects.some((s) => s.dataset.wanted)) await loadFilters();

  let latest = 0;
  let found = [];
  let shown = 0;

  async function showMore() {
    const batch = await Promise.all(found.slice(shown, shown + PAGE).map((r) => r.data()));
    list.append(...batch.map(item));
    shown += batch.length;
    more.hidden = shown >= found.length;
  }

  async function run() {
    const ticket = ++latest;
    toAddress();
    const q = input.value.trim();
    const filters = {};
    for (const s of selects) if (s.value) filters[s.dataset.filter] = s.value;
    if (!q && Object.keys(filters).length === 0) {
      found = [];
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      return;
    }
    const options = { filters };
    if (sort.value === "date") options.sort = { date: "desc" };
    const search = await pagefind.search(q || null, options);
    if (ticket !== latest) return; // a later query is on its way
    found = search.results;
    shown = 0;
    list.replaceChildren();
    await showMore();
    if (ticket !== latest) return;
    const n = found.length;
    if (!q) status.textContent = say(words.filtered, n, q);
    else if (n === 0) status.textContent = say(words.none, n, q);
    else status.textContent = say(plural.select(n) === "one" ? words.countOne : words.countOther, n, q);
  }

  let timer;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  };
  input.addEventListener("input", soon);
  for (const s of [...selects, sort]) s.addEventListener("change", run);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  more.addEventListener("click", async () => {
    const first = shown;
    await showMore();
    list.children[first]?.querySelector("a")?.focus();
  });
  // Down from the field goes to the first result; up and down move between results.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const links = [...list.querySelectorAll(".search-title a")];
    if (links.length === 0) return;
    const at = links.indexOf(document.activeElement);
    if (document.activeElement === input && event.key === "ArrowDown") {
      links[0].focus();
    } else if (at >= 0) {
      const next = at + (event.key === "ArrowDown" ? 1 : -1);
      (next < 0 ? input : links[Math.min(next, links.length - 1)]).focus();
    } else {
      return;
    }
    event.preventDefault();
  });
  window.addEventListener("popstate", () => {
    fromAddress();
    run();
  });
  await run();
}

main();
