// End-to-end test of the search page in headless Chromium: `brief publish` of the repository's
// briefing under a subpath (/briefing/), served by a tiny static server in this file. The page
// reads ?q= from its address, finds announcements and speakers as the query is typed, ignores case
// and accents, shows the index's text as text (never as HTML), reads fine without JavaScript, logs
// no errors, and asks nothing of any host but 127.0.0.1.
//
// Run with `node --test tests/browser/` (scripts/test does). Needs Debian's chromium
// (/usr/bin/chromium, or CHROMIUM_BIN) and npm's playwright-core; the brief binary is BRIEF_BIN
// (default target/debug/brief).

import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildAndServe, launchChromium } from "./support.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const BRIEF = path.resolve(REPO, process.env.BRIEF_BIN || "target/debug/brief");
const BASE = "/briefing/";
const WAIT = { timeout: 10_000 };

const SATELLITE_URL = `${BASE}announcements/satellite-data-platform/`;
const SATELLITE_TITLE = "First programme under the plan shares China's satellite data with ASEAN";
const PAN_URL = `${BASE}speakers/pan-gongsheng/`;

/** Why the suite cannot run with this binary, or null: `brief publish` is what it tests. */
function publishMissing() {
  try {
    execFileSync(BRIEF, ["publish", "--help"], { stdio: "pipe" });
    return null;
  } catch (e) {
    return `\`${BRIEF} publish --help\` failed (${e.code ?? `exit ${e.status}`}): this brief has no publish command yet, so the search page is not tested`;
  }
}
const SKIP = publishMissing();
if (SKIP) console.log(`# SKIP search.test.mjs: ${SKIP}`);


let out;
let site;
let origin;
let browser;
let context;
let page;
let stage = "setup";
const problems = []; // console errors, page errors, failed and foreign requests, over the whole run
const indexRequests = []; // requests for search.json, by page
const problem = (text) => problems.push(`[${stage}] ${text}`);

/** Watches a page for errors and for requests that leave 127.0.0.1. */
function watch(p) {
  p.on("console", (msg) => {
    if (msg.type() !== "error") return;
    problem(`console error: ${msg.text()} (${msg.location().url})`);
  });
  p.on("pageerror", (err) => problem(`uncaught error: ${err.message}`));
  // A request the browser itself abandons when the test moves to another page (the icon of the
  // page being left, say) is not a failure of the site; any other is, and so is any error status.
  p.on("requestfailed", (req) => {
    if (req.failure()?.errorText === "net::ERR_ABORTED") return;
    problem(`request failed: ${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
  });
  p.on("response", (res) => {
    if (res.status() >= 400) problem(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  p.on("dialog", (dialog) => {
    problem(`dialog: ${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  p.on("request", (req) => {
    const url = new URL(req.url());
    if (url.pathname.endsWith("/search.json")) indexRequests.push({ page: p, url: url.pathname });
  });
}

/** The results as the reader sees them: each link's text and path, and its kind label. */
const results = (p = page) =>
  p.$$eval("#search-results > li", (items) =>
    items.map((li) => ({
      text: li.querySelector("a")?.textContent ?? "",
      href: li.querySelector("a")?.getAttribute("href") ?? "",
      kind: li.querySelector(".search-kind")?.textContent ?? "",
      meta: li.querySelector(".search-meta")?.textContent ?? "",
    })),
  );

/** Waits until a result links to `href`; on failure says what the page showed. */
async function waitForResult(p, href) {
  try {
    await p.waitForFunction(
      (h) => [...document.querySelectorAll("#search-results a")].some((a) => a.getAttribute("href") === h),
      href,
      { ...WAIT, polling: 50 },
    );
  } catch (e) {
    const status = await p.locator("#search-status").textContent().catch(String);
    throw new Error(`no result links to ${href} within ${WAIT.timeout} ms\nstatus: ${status}\nresults: ${JSON.stringify(await results(p).catch(String), null, 1)}\nproblems: ${problems.join("\n")}`, { cause: e });
  }
}

describe("the search page in Chromium", { skip: SKIP ?? false, timeout: 90_000 }, () => {
  before(async () => {
    site = await buildAndServe({ brief: BRIEF, command: "publish", root: REPO, base: BASE, prefix: "brief-search-" });
    ({ out, origin } = site);
    await fs.access(path.join(out, "search", "index.html")).catch(() => {
      throw new Error("brief publish wrote no search/index.html: is templates/search.html rendered at /search/?");
    });
    await fs.access(path.join(out, "search.json")).catch(() => {
      throw new Error("brief publish wrote no search.json at the site's root");
    });

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    // Every request of every page: anything not for our server is a problem, and is not sent.
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.origin === origin) return route.continue();
      if (url.protocol === "data:" || url.protocol === "blob:") return route.continue();
      problem(`request to another host: ${route.request().method()} ${url.href}`);
      return route.abort("blockedbyclient");
    });
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

  test("?q=satellite lists the satellite data platform announcement, linked under /briefing/", async () => {
    const response = await page.goto(`${origin}${BASE}search/?q=satellite`, { waitUntil: "load" });
    assert.equal(response.status(), 200);
    assert.equal(await page.locator("h1").count(), 1);
    assert.equal(await page.locator("h1").textContent(), "Search");
    assert.equal(await page.inputValue("#search-q"), "satellite", "the query from ?q= is not in the field");
    await waitForResult(page, SATELLITE_URL);

    const found = await results();
    const satellite = found.find((r) => r.href === SATELLITE_URL);
    assert.equal(satellite.text, SATELLITE_TITLE);
    assert.equal(satellite.kind, "Announcement");
    assert.ok(satellite.meta.includes("22 September 2012"), `no date: ${satellite.meta}`);
    // Title matches come first: the two items whose title says "satellite".
    assert.ok(found.length <= 20, `${found.length} results`);
    assert.deepEqual(
      found.slice(0, 2).map((r) => r.text).sort(),
      [SATELLITE_TITLE, "First programme under the plan: a satellite data platform"].sort(),
      JSON.stringify(found, null, 1),
    );
    for (const r of found) assert.ok(r.href.startsWith(BASE), `${r.href} is not under ${BASE}`);

    // The link leads to the announcement.
    await page.click(`#search-results a[href="${SATELLITE_URL}"]`);
    await page.waitForURL(`${origin}${SATELLITE_URL}`, WAIT);
    assert.equal(await page.locator("h1").textContent(), SATELLITE_TITLE);
  });

  test("typing pan shows Pan Gongsheng, and the query goes into the address", async () => {
    const before = indexRequests.length;
    await page.goto(`${origin}${BASE}search/`, { waitUntil: "load" });
    assert.equal(await page.locator("#search-results > li").count(), 0, "results before any query");
    await page.locator("#search-q").pressSequentially("pan", { delay: 30 });
    await waitForResult(page, PAN_URL);
    const pan = (await results()).find((r) => r.href === PAN_URL);
    assert.equal(pan.text, "Pan Gongsheng");
    assert.equal(pan.kind, "Speaker");
    assert.ok(pan.meta.includes("Deputy Governor, People's Bank of China"), pan.meta);
    assert.equal(new URL(page.url()).searchParams.get("q"), "pan");

    // Other queries are answered from the same index: it is fetched once per page.
    await page.locator("#search-q").fill("financial");
    await waitForResult(page, `${BASE}announcements/financial-cooperation/`);
    assert.equal(indexRequests.length - before, 1, `search.json requested ${indexRequests.length - before} times`);

    // Clearing the field clears the results.
    await page.locator("#search-q").fill("");
    await page.waitForFunction(() => document.querySelectorAll("#search-results > li").length === 0, null, WAIT);
  });

  test("case and accents do not matter", async () => {
    await page.goto(`${origin}${BASE}search/?q=${encodeURIComponent("PÁN Góngshēng")}`, { waitUntil: "load" });
    await waitForResult(page, PAN_URL);
    // The speaker whose name is the query comes before the announcement whose title starts with it.
    assert.equal((await results())[0].href, PAN_URL);
    await page.locator("#search-q").fill("NGUYÊN"); // matches nothing here, and says so
    await page.waitForFunction(() => /Nothing matches/.test(document.getElementById("search-status").textContent), null, WAIT);
    assert.equal(await page.locator("#search-results > li").count(), 0);
  });

  test("the form works as a GET form", async () => {
    const form = page.locator("form[role=search]");
    assert.equal(await form.getAttribute("action"), `${BASE}search/`);
    assert.equal(await page.locator("#search-q").getAttribute("name"), "q");
    assert.equal(await page.locator("label[for=search-q]").count(), 1, "the field has no label");
    assert.equal(await page.locator("#search-results").getAttribute("aria-live"), "polite");
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
      assert.match(await note.textContent(), /JavaScript/);
      const links = await note.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      assert.deepEqual(links.sort(), [`${BASE}announcements/`, `${BASE}speakers/`, `${BASE}timeline/`]);
    } finally {
      await plain.close();
    }
  });

  test("the index's text is shown as text; accents and title matches rank as documented", async () => {
    // A made-up index, served in place of search.json to this page only.
    const p = await context.newPage();
    watch(p);
    const XSS = "<img src=x onerror=window.__injected=1>";
    const items = [
      { kind: "announcement", title: `Harbour plan ${XSS}`, summary: "Mentions the river only here.", date_display: "1 May 2012", url: `${BASE}a/` },
      { kind: "speaker", name: "Nguyễn Tấn Dũng", role: "Prime Minister", organization: "Government of Viet Nam", url: `${BASE}b/` },
      { kind: "speaker", name: "Đặng Thị Ngọc Thịnh", role: "Vice President", url: `${BASE}c/` },
      { kind: "timeline", title: "River treaty", date_display: "2011", url: `${BASE}d/` },
      ...Array.from({ length: 30 }, (_, i) => ({ kind: "timeline", title: `Common entry ${i}`, date_display: "2010", url: `${BASE}e${i}/` })),
    ];
    await p.route("**/search.json", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify(items) }));
    try {
      await p.goto(`${origin}${BASE}search/?q=harbour`, { waitUntil: "load" });
      await waitForResult(p, `${BASE}a/`);
      assert.equal((await results(p))[0].text, `Harbour plan ${XSS}`);
      assert.equal(await p.locator("#search-results img").count(), 0, "HTML from the index reached the page");
      assert.equal(await p.evaluate(() => window.__injected), undefined);

      await p.locator("#search-q").fill("nguyen tan dung");
      await waitForResult(p, `${BASE}b/`);
      await p.locator("#search-q").fill("dang thi");
      await waitForResult(p, `${BASE}c/`);

      // The title match first, though the summary match comes first in the index.
      await p.locator("#search-q").fill("river");
      await waitForResult(p, `${BASE}a/`);
      assert.deepEqual((await results(p)).map((r) => r.href), [`${BASE}d/`, `${BASE}a/`]);

      // At most 20 results.
      await p.locator("#search-q").fill("common");
      await waitForResult(p, `${BASE}e0/`);
      assert.equal((await results(p)).length, 20);
      assert.match(await p.locator("#search-status").textContent(), /20 of 30/);
    } finally {
      await p.close();
    }
  });

  test("no console errors, no failed requests, nothing asked of another host", () => {
    assert.deepEqual(problems, []);
    assert.ok(indexRequests.length > 0, "search.json was never requested");
    for (const r of indexRequests) assert.equal(r.url, `${BASE}search.json`);
  });
});
