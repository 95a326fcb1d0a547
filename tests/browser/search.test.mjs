// End-to-end test of full-text search in headless Chromium: `brief publish` of the repository's
// briefing under a subpath (/briefing/), served by a real nginx. The search page finds words of
// the pages' text (not only titles) with the word highlighted in the excerpt, finds timeline
// entries, narrows by kind and topic, sorts by date, keeps the query in the address, is usable
// from the keyboard, searches Chinese text on the Chinese pages without spaces between words,
// and asks nothing of any host but 127.0.0.1. A `brief build` without --search says how to get
// search instead. Without JavaScript the page says search needs it and links to the lists.
//
// Run with `node --test tests/browser/` (scripts/test does). Needs Debian's chromium
// (/usr/bin/chromium, or CHROMIUM_BIN), Debian's nginx and npm's playwright-core; the brief
// binary is BRIEF_BIN (default target/debug/brief).

import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildAndServe, launchChromium } from "./support.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const BRIEF = path.resolve(REPO, process.env.BRIEF_BIN || "target/debug/brief");
const BASE = "/briefing/";
const WAIT = { timeout: 15_000 };

const FINANCE_URL = `${BASE}announcements/financial-cooperation/`;
const SATELLITE_URL = `${BASE}announcements/satellite-data-platform/`;
const BALI_URLS = [`${BASE}timeline/#partnership-proposed`, `${BASE}speakers/wen-jiabao/`];

let site;
let origin;
let browser;
let context;
let page;
let stage = "setup";
const problems = []; // console errors, page errors, failed and foreign requests, over the whole run
const problem = (text) => problems.push(`[${stage}] ${text}`);

/** Watches a page for errors; `allow` lists paths whose 404 is expected. */
function watch(p, allow = []) {
  p.on("console", (msg) => {
    if (msg.type() !== "error") return;
    if (allow.some((a) => msg.text().includes("404"))) return;
    problem(`console error: ${msg.text()} (${msg.location().url})`);
  });
  p.on("pageerror", (err) => problem(`uncaught error: ${err.message}`));
  p.on("requestfailed", (req) => {
    if (req.failure()?.errorText === "net::ERR_ABORTED") return;
    problem(`request failed: ${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
  });
  p.on("response", (res) => {
    if (res.status() < 400) return;
    if (allow.some((a) => new URL(res.url()).pathname.endsWith(a))) return;
    problem(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
}

/** Routes every request of `ctx`: anything not for our server is a problem, and is not sent. */
async function offline(ctx) {
  await ctx.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin === origin) return route.continue();
    if (url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    problem(`request to another host: ${route.request().method()} ${url.href}`);
    return route.abort("blockedbyclient");
  });
}

/** The results as the reader sees them. */
const results = (p = page) =>
  p.$$eval("#search-results > li", (items) =>
    items.map((li) => ({
      text: li.querySelector(".search-title a")?.textContent ?? "",
      href: li.querySelector(".search-title a")?.getAttribute("href") ?? "",
      kind: li.querySelector(".search-kind")?.textContent ?? "",
      meta: li.querySelector(".search-meta")?.textContent ?? "",
      excerpt: li.querySelector(".search-excerpt")?.textContent ?? "",
      marks: [...li.querySelectorAll(".search-excerpt mark")].map((m) => m.textContent),
      excerptElements: [...li.querySelectorAll(".search-excerpt *")].map((e) => e.nodeName),
    })),
  );

/** Waits until a result links to one of `hrefs`; on failure says what the page showed. */
async function waitForResult(p, hrefs) {
  const wanted = [].concat(hrefs);
  try {
    await p.waitForFunction(
      (hs) => [...document.querySelectorAll("#search-results .search-title a")].some((a) => hs.includes(a.getAttribute("href"))),
      wanted,
      { ...WAIT, polling: 50 },
    );
  } catch (e) {
    const status = await p.locator("#search-status").textContent().catch(String);
    throw new Error(`no result links to ${wanted.join(" or ")} within ${WAIT.timeout} ms\nstatus: ${status}\nresults: ${JSON.stringify(await results(p).catch(String), null, 1)}\nproblems: ${problems.join("\n")}`, { cause: e });
  }
}

/** Waits until the status line says the search for the field's words has finished. */
async function settled(p) {
  await p.waitForFunction(() => {
    const q = new URLSearchParams(location.search).get("q") || "";
    const status = document.getElementById("search-status").textContent;
    return status !== "" && !/…/.test(status) && (q === "" || status.includes(q));
  }, null, WAIT);
}

describe("full-text search in Chromium, behind nginx under /briefing/", { timeout: 180_000 }, () => {
  before(async () => {
    site = await buildAndServe({ brief: BRIEF, command: "publish", root: REPO, base: BASE, prefix: "brief-search-", nginx: true });
    origin = site.origin;
    for (const file of ["pagefind/pagefind.js", "pagefind/pagefind-entry.json", "zh/pagefind/pagefind-entry.json"]) {
      await fs.access(path.join(site.out, file)).catch(() => {
        throw new Error(`brief publish wrote no ${file}`);
      });
    }
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    await offline(context);
    page = await context.newPage();
    watch(page);
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await site?.close();
  });

  beforeEach((t) => {
    stage = t.name;
  });

  test("laundering finds the financial cooperation page, the word highlighted in the excerpt", async () => {
    const response = await page.goto(`${origin}${BASE}search/?q=laundering`, { waitUntil: "load" });
    assert.equal(response.status(), 200);
    assert.equal(await page.inputValue("#search-q"), "laundering", "the query from ?q= is not in the field");
    await waitForResult(page, FINANCE_URL);
    const found = await results();
    const finance = found.find((r) => r.href === FINANCE_URL);
    assert.equal(finance.kind, "Announcement");
    assert.ok(finance.marks.some((m) => /laundering/i.test(m)), `no highlighted "laundering": ${JSON.stringify(finance)}`);
    assert.ok(finance.meta.includes("2012"), `no date: ${finance.meta}`);
    // Only text and <mark> come from the index.
    for (const r of found) assert.deepEqual([...new Set(r.excerptElements)].filter((n) => n !== "MARK"), [], JSON.stringify(r));
    for (const r of found) assert.ok(r.href.startsWith(BASE), `${r.href} is not under ${BASE}`);
    await settled(page);
    assert.match(await page.locator("#search-status").textContent(), /results? for “laundering”/);
    assert.equal(await page.locator("#search-status").getAttribute("role"), "status");

    await page.click(`#search-results a[href="${FINANCE_URL}"]`);
    await page.waitForURL(`${origin}${FINANCE_URL}`, WAIT);
  });

  test("Bali finds the timeline entry or Wen Jiabao's page, and the entry's link lands on it", async () => {
    await page.goto(`${origin}${BASE}search/?q=Bali`, { waitUntil: "load" });
    await waitForResult(page, BALI_URLS);
    const found = await results();
    const entry = found.find((r) => r.href === BALI_URLS[0]);
    assert.ok(entry, `the timeline entry is not among ${JSON.stringify(found)}`);
    assert.equal(entry.kind, "Timeline");
    assert.ok(entry.marks.some((m) => /bali/i.test(m)), JSON.stringify(entry));
    await page.click(`#search-results a[href="${BALI_URLS[0]}"]`);
    await page.waitForURL(`${origin}${BALI_URLS[0]}`, WAIT);
    assert.equal(await page.locator("#partnership-proposed h3").count(), 1, "no timeline entry with that id");
  });

  test("words of the body, not only titles: clearing, industrial zones, Guangxi", async () => {
    for (const q of ["clearing", "industrial zones", "Guangxi"]) {
      await page.goto(`${origin}${BASE}search/?q=${encodeURIComponent(q)}`, { waitUntil: "load" });
      await settled(page);
      assert.ok((await results()).length > 0, `${q} finds nothing`);
    }
  });

  test("typing keeps the query in the address; the keyboard reaches the results", async () => {
    await page.goto(`${origin}${BASE}search/`, { waitUntil: "load" });
    await page.waitForFunction(() => !document.getElementById("search").hidden, null, WAIT);
    assert.equal(await page.locator("#search-results > li").count(), 0, "results before any query");
    await page.locator("#search-q").pressSequentially("satellite", { delay: 20 });
    await waitForResult(page, SATELLITE_URL);
    await page.waitForFunction(() => new URLSearchParams(location.search).get("q") === "satellite", null, WAIT);

    await page.focus("#search-q");
    await page.keyboard.press("ArrowDown");
    const first = (await results())[0].href;
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), first);
    await page.keyboard.press("ArrowUp");
    assert.equal(await page.evaluate(() => document.activeElement.id), "search-q");

    await page.locator("#search-q").fill("");
    await page.waitForFunction(() => document.querySelectorAll("#search-results > li").length === 0, null, WAIT);
    assert.equal(new URL(page.url()).search, "");
  });

  test("a topic filter narrows the results, and goes into the address", async () => {
    await page.goto(`${origin}${BASE}search/?q=cooperation`, { waitUntil: "load" });
    await settled(page);
    const all = await results();
    // The filters' values load when the reader reaches them.
    await page.focus("#search-topic");
    await page.waitForFunction(() => document.querySelectorAll("#search-topic option").length > 1, null, WAIT);
    const options = await page.$$eval("#search-topic option", (os) => os.map((o) => ({ value: o.value, text: o.textContent })));
    assert.ok(options.some((o) => o.value === "Finance"), JSON.stringify(options));
    await page.selectOption("#search-topic", "Finance");
    await page.waitForFunction(() => new URLSearchParams(location.search).get("topic") === "Finance", null, WAIT);
    await settled(page);
    await page.waitForFunction((n) => document.querySelectorAll("#search-results > li").length < n, all.length, WAIT);
    const narrowed = await results();
    assert.ok(narrowed.length > 0, "the Finance filter left nothing");
    assert.ok(narrowed.some((r) => r.href === FINANCE_URL), JSON.stringify(narrowed));
    assert.ok(narrowed.length < all.length, `${narrowed.length} of ${all.length}`);

    // The kind filter: speakers only.
    await page.goto(`${origin}${BASE}search/?q=cooperation&kind=Speaker`, { waitUntil: "load" });
    await settled(page);
    const speakers = await results();
    assert.ok(speakers.length > 0);
    assert.deepEqual([...new Set(speakers.map((r) => r.kind))], ["Speaker"]);
    assert.equal(await page.inputValue("#search-kind"), "Speaker");
  });

  test("newest first on request", async () => {
    await page.goto(`${origin}${BASE}search/?q=trade&sort=date`, { waitUntil: "load" });
    await settled(page);
    const found = await results();
    const dates = found.map((r) => Date.parse(r.meta.split(" · ").find((part) => !Number.isNaN(Date.parse(part))) ?? ""));
    assert.ok(found.length > 1, JSON.stringify(found));
    assert.ok(dates.every((d) => !Number.isNaN(d)), `a result without a date: ${JSON.stringify(found)}`);
    for (let i = 1; i < dates.length; i++) assert.ok(dates[i - 1] >= dates[i], `not newest first: ${JSON.stringify(found.map((r) => r.meta))}`);
  });

  test("Chinese words are found on the Chinese site without spaces between them", async () => {
    for (const [q, url] of [["洗钱", `${BASE}zh/announcements/financial-cooperation/`], ["卫星数据", `${BASE}zh/announcements/satellite-data-platform/`]]) {
      await page.goto(`${origin}${BASE}zh/search/?q=${encodeURIComponent(q)}`, { waitUntil: "load" });
      await waitForResult(page, url);
      const found = await results();
      for (const r of found) assert.ok(r.href.startsWith(`${BASE}zh/`), `${r.href}: an English page on the Chinese search`);
      assert.equal(found.find((r) => r.href === url).kind, "公告");
    }
  });

  test("the page reads fine without JavaScript", async () => {
    const plain = await browser.newContext({ javaScriptEnabled: false });
    try {
      const p = await plain.newPage();
      watch(p);
      await p.goto(`${origin}${BASE}search/?q=satellite`, { waitUntil: "load" });
      assert.equal(await p.locator("h1").textContent(), "Search");
      const note = p.locator("noscript p, main p:has-text('JavaScript')").first();
      await note.waitFor({ state: "visible", ...WAIT });
      const links = await note.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      assert.deepEqual(links.sort(), [`${BASE}announcements/`, `${BASE}speakers/`, `${BASE}timeline/`]);
      assert.equal(await p.locator("#search").isVisible(), false);
    } finally {
      await plain.close();
    }
  });

  test("no console errors, no failed requests, nothing asked of another host", () => {
    assert.deepEqual(problems, []);
  });
});

describe("the search page of a build without --search", { timeout: 120_000 }, () => {
  let built;
  let b;
  after(async () => {
    await b?.close().catch(() => {});
    await built?.close();
  });

  test("says that search comes with the published site, and how to preview it", async () => {
    built = await buildAndServe({ brief: BRIEF, command: "build", root: REPO, base: BASE, prefix: "brief-nosearch-" });
    origin = built.origin;
    await fs.access(path.join(built.out, "pagefind")).then(
      () => assert.fail("brief build wrote a search index without --search"),
      () => {},
    );
    b = await launchChromium();
    const ctx = await b.newContext();
    await offline(ctx);
    const p = await ctx.newPage();
    watch(p, ["/pagefind/pagefind.js"]);
    await p.goto(`${origin}${BASE}search/?q=satellite`, { waitUntil: "load" });
    const note = p.locator("#search-unavailable");
    await note.waitFor({ state: "visible", ...WAIT });
    assert.match(await note.textContent(), /brief build --search/);
    assert.match(await note.textContent(), /brief serve --search/);
    assert.equal(await p.locator("#search").isVisible(), false);
    assert.deepEqual(problems, []);
  });
});
