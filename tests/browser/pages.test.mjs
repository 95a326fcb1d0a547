// Every page kind of the real briefing as a reader sees it, in headless Chromium: `brief build --search` of
// the repository's briefing (under the subpath /briefing/), served by a tiny static server in this
// file, opened at 375 px and 1280 px wide. For each page kind: no console errors, no failed
// requests, nothing asked of another host, no horizontal scrolling (also at 320 and 1440 px),
// exactly one h1, the landmarks, no script needed to read it, and no axe-core violation of impact
// serious or critical in light or dark colours. A screenshot of each is saved under
// target/browser/screenshots/<kind>-<width>.png. The home page and the timeline are printed to A4
// PDFs (target/browser/<kind>.pdf) without their navigation; with poppler-utils' pdftotext the PDF's
// text is checked too.
//
// Run with `node --test tests/browser/` (scripts/test does). Needs Debian's chromium
// (/usr/bin/chromium, or CHROMIUM_BIN) and npm's playwright-core and axe-core; the brief binary is
// BRIEF_BIN (default target/debug/brief). scripts/screenshots.sh runs this file alone and copies the
// screenshots into docs/screenshots/.

import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildAndServe, launchChromium } from "./support.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core");
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const BRIEF = path.resolve(REPO, process.env.BRIEF_BIN || "target/debug/brief");
const OUT = path.join(REPO, "target", "browser");
const SHOTS = path.join(OUT, "screenshots");
const BASE = "/briefing/";
const WAIT = { timeout: 10_000 };

/** One page of each kind: its name (for the screenshots) and its path under BASE. */
const KINDS = [
  ["home", ""],
  ["announcements", "announcements/"],
  ["announcement", "announcements/science-technology-cooperation-plan/"],
  ["timeline", "timeline/"],
  ["speakers", "speakers/"],
  ["speaker", "speakers/pan-gongsheng/"],
  ["topics", "topics/"],
  ["topic", "topics/science-technology/"],
  ["about", "about/"],
  ["search", "search/?q=cooperation"],
  ["404", "404.html"],
  // The same briefing in Chinese and in Vietnamese.
  ["home-zh", "zh/"],
  ["announcement-zh", "zh/announcements/science-technology-cooperation-plan/"],
  ["timeline-zh", "zh/timeline/"],
  ["home-vi", "vi/"],
  ["speaker-vi", "vi/speakers/pan-gongsheng/"],
  ["topic-vi", "vi/topics/science-technology/"],
];
/** The widths screenshots are taken at, and the extra widths only checked for horizontal scrolling. */
const WIDTHS = [375, 1280];
const EXTRA_WIDTHS = [320, 1440];
const HEIGHT = 900;


/** Whether pdftotext (Debian's poppler-utils) can be run. */
function hasPdftotext() {
  try {
    execFileSync("pdftotext", ["-v"], { stdio: "pipe" });
    return true;
  } catch (e) {
    return e.code !== "ENOENT";
  }
}

let out;
let site;
let origin;
let browser;
let stage = "setup";
const problems = []; // console errors, page errors, failed and foreign requests, over the whole run
const problem = (text) => problems.push(`[${stage}] ${text}`);

/** Watches a page for errors, failed requests and requests that leave the server; returns its list of problems. */
function watch(p, where) {
  const own = [];
  const add = (text) => {
    own.push(text);
    problem(`${where()}: ${text}`);
  };
  p.on("console", (msg) => {
    if (msg.type() !== "error") return;
    add(`console error: ${msg.text()} (${msg.location().url})`);
  });
  p.on("pageerror", (err) => add(`uncaught error: ${err.message}`));
  // A request the browser itself abandons when the test moves to another page (the icon of the
  // page being left, say) is not a failure of the site; any other is.
  p.on("requestfailed", (req) => {
    if (req.failure()?.errorText === "net::ERR_ABORTED") return;
    add(`request failed: ${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
  });
  p.on("response", (res) => {
    // Every request must succeed, the browser's own request for an icon included.
    if (res.status() >= 400) add(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  p.on("dialog", (dialog) => {
    add(`dialog: ${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  return own;
}

/** A new browser context of the given width whose requests may only go to our server. */
async function newContext(width, options = {}) {
  const context = await browser.newContext({ viewport: { width, height: HEIGHT }, ...options });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin === origin || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    problem(`request to another host: ${route.request().method()} ${url.href}`);
    return route.abort("blockedbyclient");
  });
  return context;
}

/** Opens `rel` (under BASE) and waits until it has loaded and laid out its fonts (and, on the search page, results). */
async function open(p, rel) {
  const response = await p.goto(`${origin}${BASE}${rel}`, { waitUntil: "load" });
  assert.equal(response.status(), 200, `${rel} answered ${response.status()}`);
  if (rel.startsWith("search/?q=")) {
    await p.waitForFunction(() => document.querySelectorAll("#search-results > li").length > 0, null, WAIT);
  }
  await p.evaluate(() => document.fonts.ready);
}

/** The horizontal overflow of the page, with the elements that stick out on the right, if any. */
function overflow(p) {
  return p.evaluate(() => {
    const root = document.documentElement;
    const width = window.innerWidth;
    const clipped = ["hidden", "clip"];
    const hiding = [root, document.body].filter((el) => clipped.includes(getComputedStyle(el).overflowX)).map((el) => el.tagName.toLowerCase());
    const describe = (el) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.classList.length ? `.${[...el.classList].join(".")}` : ""}`;
    // An element sticks out if its box ends past the window, or its content (a long word) overflows it.
    const sticksOut = (el) =>
      el.getClientRects().length > 0 &&
      (el.getBoundingClientRect().right > width + 0.5 ||
        (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && getComputedStyle(el).overflowX === "visible"));
    const all = [...document.body.querySelectorAll("*")].filter(sticksOut);
    const wide = all
      .filter((el) => !all.some((other) => other !== el && el.contains(other)))
      .slice(0, 8)
      .map((el) => `${describe(el)} (right edge ${Math.round(el.getBoundingClientRect().right)} px, content ${el.scrollWidth} px wide in ${el.clientWidth} px)`);
    return { scrollWidth: root.scrollWidth, innerWidth: width, hiding, wide };
  });
}

async function assertNoHorizontalScrolling(p, where) {
  const o = await overflow(p);
  assert.deepEqual(o.hiding, [], `${where}: overflow-x hidden on ${o.hiding.join(", ")} would hide horizontal scrolling`);
  assert.ok(
    o.scrollWidth <= o.innerWidth,
    `${where}: the page scrolls sideways: scrollWidth ${o.scrollWidth} > innerWidth ${o.innerWidth}; sticking out: ${o.wide.join(", ")}`,
  );
}

/** axe-core's violations of impact serious or critical (and the others, for the log). */
async function axe(p) {
  if (!(await p.evaluate(() => typeof window.axe === "object"))) await p.addScriptTag({ path: AXE });
  return p.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ").trim()}`),
    }));
  });
}

function assertNoSeriousViolations(violations, where, t) {
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of violations.filter((x) => !serious.includes(x))) t.diagnostic(`${where}: axe ${v.impact}: ${v.id}: ${v.help} (${v.nodes.length})`);
  assert.deepEqual(
    serious.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.slice(0, 5).join("\n    ")}`),
    [],
    `${where}: axe-core found serious or critical violations`,
  );
}

describe("every page kind in Chromium", { timeout: 240_000 }, () => {
  before(async () => {
    site = await buildAndServe({ brief: BRIEF, command: "build", args: ["--search"], root: REPO, base: BASE, prefix: "brief-pages-" });
    ({ out, origin } = site);
    for (const [kind, rel] of KINDS) {
      const file = rel.split("?")[0];
      await fs.access(path.join(out, file.endsWith("/") || file === "" ? `${file}index.html` : file)).catch(() => {
        throw new Error(`brief build wrote no page for ${kind} (${BASE}${rel}): did the briefing's content change?`);
      });
    }
    await fs.rm(SHOTS, { recursive: true, force: true });
    await fs.mkdir(SHOTS, { recursive: true });

    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await site?.close();
  });

  beforeEach((t) => {
    stage = t.name;
  });

  for (const [kind, rel] of KINDS) {
    test(`${kind} (${BASE}${rel}) at ${WIDTHS.join(" and ")} px, light and dark`, async (t) => {
      for (const width of WIDTHS) {
        const where = `${kind} at ${width} px`;
        const context = await newContext(width);
        try {
          const p = await context.newPage();
          const own = watch(p, () => where);
          await open(p, rel);

          assert.equal(await p.locator("h1").count(), 1, `${where}: not exactly one h1`);
          assert.ok(((await p.locator("h1").textContent()) ?? "").trim(), `${where}: the h1 is empty`);
          const page = await p.evaluate(() => ({
            lang: document.documentElement.lang,
            title: document.title,
            banner: document.querySelectorAll("body > header").length,
            nav: document.querySelectorAll("header nav.site-nav").length,
            languages: document.querySelectorAll("header nav.languages").length,
            main: document.querySelectorAll("main").length,
            contentinfo: document.querySelectorAll("body > footer").length,
            skip: document.querySelector("body > a.skip-link")?.getAttribute("href") ?? null,
            scripts: [...document.querySelectorAll("script")].filter((s) => s.type !== "application/ld+json").length,
          }));
          assert.ok(page.lang, `${where}: <html> has no lang`);
          // The briefing is in three languages: every page has the switcher.
          assert.equal(page.languages, 1, `${where}: no language switcher`);
          const expectedLang = rel.startsWith("zh/") ? "zh-Hans" : rel.startsWith("vi/") ? "vi" : "en";
          assert.equal(page.lang, expectedLang, `${where}: <html lang>`);
          assert.ok(page.title, `${where}: no <title>`);
          if (expectedLang === "zh-Hans") {
            // Chinese text is never set in italics nor letter-spaced (CSS `:lang(zh)`).
            const styled = await p.evaluate(() =>
              [...document.querySelectorAll("body *")]
                .filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
                .filter((e) => e.closest("[lang]")?.lang.startsWith("zh"))
                .map((e) => {
                  const s = getComputedStyle(e);
                  return { text: e.textContent.trim().slice(0, 20), italic: s.fontStyle, spacing: s.letterSpacing };
                })
                .filter((s) => s.italic !== "normal" || (s.spacing !== "normal" && parseFloat(s.spacing) !== 0)),
            );
            assert.deepEqual(styled, [], `${where}: Chinese text in italics or letter-spaced`);
          }
          assert.deepEqual(
            { banner: page.banner, nav: page.nav, main: page.main, contentinfo: page.contentinfo, skip: page.skip },
            { banner: 1, nav: 1, main: 1, contentinfo: 1, skip: "#main" },
            `${where}: landmarks`,
          );
          // Every page reads without JavaScript: only the search page has a script.
          assert.equal(page.scripts, kind === "search" ? 1 : 0, `${where}: scripts on the page`);

          await assertNoHorizontalScrolling(p, where);
          await p.screenshot({ path: path.join(SHOTS, `${kind}-${width}.png`), fullPage: true });

          assertNoSeriousViolations(await axe(p), `${where}, light`, t);
          const light = await p.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
          await p.emulateMedia({ colorScheme: "dark" });
          const dark = await p.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
          assert.notEqual(dark, light, `${where}: the page looks the same in dark mode`);
          assertNoSeriousViolations(await axe(p), `${where}, dark`, t);
          if (kind === "home") await p.screenshot({ path: path.join(SHOTS, `${kind}-${width}-dark.png`), fullPage: true });
          await p.emulateMedia({ colorScheme: "light" });

          for (const extra of EXTRA_WIDTHS.filter((w) => Math.abs(w - width) < 200)) {
            await p.setViewportSize({ width: extra, height: HEIGHT });
            await assertNoHorizontalScrolling(p, `${kind} at ${extra} px`);
          }
          assert.deepEqual(own, [], `${where}: problems in the page`);
        } finally {
          await context.close();
        }
      }
    });
  }

  test("keyboard focus is visible: the skip link comes first and shows itself", async () => {
    const context = await newContext(375);
    try {
      const p = await context.newPage();
      watch(p, () => "focus");
      await open(p, "");
      await p.keyboard.press("Tab");
      const skip = await p.evaluate(() => {
        const el = document.activeElement;
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return { href: el.getAttribute("href"), top: box.top, bottom: box.bottom, outline: style.outlineStyle, width: style.outlineWidth };
      });
      assert.equal(skip.href, "#main", "the first Tab does not reach the skip link");
      assert.ok(skip.top >= 0 && skip.bottom <= HEIGHT, `the focused skip link is off screen: ${JSON.stringify(skip)}`);
      assert.notEqual(skip.outline, "none", "the focused skip link has no outline");
      // The next stops, in the header and in the page, show a focus ring too.
      for (let i = 0; i < 8; i += 1) {
        await p.keyboard.press("Tab");
        const ring = await p.evaluate(() => {
          const style = getComputedStyle(document.activeElement);
          return { text: document.activeElement.textContent.trim().slice(0, 40), outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
        });
        assert.ok(ring.outline !== "none" && ring.width >= 2, `no visible focus ring on ${JSON.stringify(ring)}`);
      }
    } finally {
      await context.close();
    }
  });

  for (const [kind, rel] of [["home", ""], ["timeline", "timeline/"]]) {
    test(`${kind} prints to an A4 PDF without navigation`, async (t) => {
      const context = await newContext(1280);
      try {
        const p = await context.newPage();
        const own = watch(p, () => `${kind} in print`);
        await open(p, rel);
        const h1 = ((await p.locator("h1").textContent()) ?? "").replace(/\s+/g, " ").trim();
        const labels = await p.locator("header nav a").evaluateAll((as) => as.map((a) => a.textContent.trim()));
        assert.ok(labels.length > 0, "no links in the header's nav");

        await p.emulateMedia({ media: "print" });
        const shown = await p.evaluate(() => {
          const display = (sel) => [...document.querySelectorAll(sel)].map((el) => getComputedStyle(el).display);
          const breaks = [...document.querySelectorAll(".card, .chart-figure, .timeline-entry, .speaker")].map(
            (el) => getComputedStyle(el).breakInside,
          );
          // An external link is followed by its address; an internal one is not.
          const main = document.querySelector("main");
          const external = Object.assign(document.createElement("a"), { href: "https://example.org/report" });
          const internal = Object.assign(document.createElement("a"), { href: document.querySelector("main a[href^='/']")?.getAttribute("href") ?? "/" });
          main.append(external, internal);
          const after = (a) => getComputedStyle(a, "::after").content;
          const links = { external: after(external), internal: after(internal) };
          external.remove();
          internal.remove();
          return {
            nav: display("nav"),
            skip: display(".skip-link"),
            breaks,
            links,
            text: document.body.innerText,
          };
        });
        assert.ok(shown.nav.length > 0, "the page has no nav");
        assert.deepEqual(shown.nav.filter((d) => d !== "none"), [], "a nav is displayed in print");
        assert.deepEqual(shown.skip, ["none"], "the skip link is displayed in print");
        assert.ok(shown.breaks.length > 0 && shown.breaks.every((b) => b === "avoid"), `break-inside in print: ${shown.breaks}`);
        assert.match(shown.links.external, /https:\/\/example\.org\/report/, "external links do not show their address in print");
        assert.ok(["none", "normal"].includes(shown.links.internal), `internal links show ${shown.links.internal} in print`);

        await fs.mkdir(OUT, { recursive: true });
        const pdf = path.join(OUT, `${kind}.pdf`);
        await p.pdf({ path: pdf, format: "A4", preferCSSPageSize: true, printBackground: true });
        const bytes = await fs.readFile(pdf);
        assert.ok(bytes.length > 1000, `${pdf} holds ${bytes.length} bytes`);
        assert.equal(bytes.subarray(0, 5).toString("latin1"), "%PDF-", `${pdf} is not a PDF`);

        if (!hasPdftotext()) {
          t.diagnostic("pdftotext (Debian's poppler-utils) is missing: the PDF's text is not checked");
        } else {
          const text = execFileSync("pdftotext", ["-enc", "UTF-8", pdf, "-"], { encoding: "utf8" });
          const flat = text.replace(/\s+/g, " ");
          assert.ok(flat.includes(h1), `the PDF's text lacks the h1 ${JSON.stringify(h1)}:\n${text.slice(0, 2000)}`);
          assert.ok(!flat.includes("Skip to content"), "the PDF shows the skip link");
          // A nav label may also be a word of the page (a heading "Timeline"): the PDF may hold each
          // label only as often as the print-visible text of the page does, which leaves out the nav.
          const count = (s, word) => s.split(/\s+/).filter((w) => w.replace(/[^\p{L}\p{N}]/gu, "") === word).length;
          for (const label of labels) {
            assert.ok(
              count(text, label) <= count(shown.text, label),
              `the PDF holds the nav label ${label} ${count(text, label)} times, the page's print text ${count(shown.text, label)} times`,
            );
          }
          // A4 is 595 x 842 points; Chromium rounds to whole pixels at 96 dpi.
          const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
          const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
          assert.ok(size && Math.abs(size[1] - 595.3) < 2 && Math.abs(size[2] - 841.9) < 2, `not A4:\n${info}`);
        }
        assert.deepEqual(own, [], `${kind} in print: problems in the page`);
      } finally {
        await context.close();
      }
    });
  }

  test("no console errors, no failed requests, nothing asked of another host", () => {
    assert.deepEqual(problems, []);
  });
});
