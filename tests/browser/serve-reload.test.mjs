// End-to-end test of `brief serve` in headless Chromium: live reload keeps the scroll position,
// a stylesheet change is swapped in without a reload, a broken file shows the error overlay (as
// text, never as HTML) over the last good page, and fixing it removes the overlay.
//
// Run with `node --test tests/browser/` (scripts/test does). Needs Debian's chromium
// (/usr/bin/chromium, or CHROMIUM_BIN) and npm's playwright-core; the brief binary is BRIEF_BIN
// (default target/debug/brief).

import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./support.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const BRIEF = path.resolve(REPO, process.env.BRIEF_BIN || "target/debug/brief");
const SHOTS = path.join(REPO, "target", "browser");
const PAGE = "/announcements/opening/";
const WAIT = { timeout: 10_000, polling: 50 };

const GOOD_TITLE = "The Example Expo opens";
const NEW_TITLE = "The Example Expo opens its doors";
const XSS = "<img src=x onerror=alert(1)>";

let tmp;
let site;
let server;
let serverLog = "";
let baseUrl;
let browser;
let page;
let original;
const problems = []; // console errors, page errors and failed requests, over the whole run
let abortedStreams = 0; // live-reload connections cancelled because their page went away
const dialogs = [];
let navigations = 0;
let streams = 0; // live-reload connections opened (each page load opens one)
let stage = "setup"; // the test running, named in each problem

/** Records something that went wrong in the page, with the test it happened in. */
const problem = (text) => problems.push(`[${stage}] ${text}`);

/** The announcement's Markdown (with its long body) and the title replaced. */
const withTitle = (title) => original.replace(/^title: .*$/m, `title: ${title}`);

/** Writes a file the way many editors save: a temporary file beside it, renamed over it. */
async function save(rel, text) {
  const file = path.join(site, rel);
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await fs.writeFile(temp, text);
  await fs.rename(temp, file);
}

/** Resolves with the server's URL from its `Serving at URL` line. */
function servingUrl(child) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`brief serve printed no URL in 30 s:\n${serverLog}`)), 30_000);
    const lines = readline.createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      serverLog += `${line}\n`;
      const m = /^Serving at (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`brief serve exited (${code ?? signal}) before serving:\n${serverLog}`));
    });
  });
}

/** Whether `fn` holds in the page within the timeout; on failure says what the page showed. */
async function waitInPage(what, fn, arg) {
  try {
    await page.waitForFunction(fn, arg, WAIT);
  } catch (e) {
    const state = await page
      .evaluate(() => ({
        h1: document.querySelector("h1")?.textContent,
        scrollY,
        overlay: document.getElementById("brief-error-overlay")?.textContent ?? null,
      }))
      .catch((err) => String(err));
    throw new Error(`${what}: not seen within ${WAIT.timeout} ms\npage: ${JSON.stringify(state)}\nserver:\n${serverLog}`, { cause: e });
  }
}

/** Waits until `n` live-reload connections have been opened in all: a page's edits are only seen once it listens. */
async function streamsOpened(n) {
  const end = Date.now() + WAIT.timeout;
  while (streams < n) {
    if (Date.now() > end) {
      throw new Error(`the page opened ${streams} live-reload connections, not ${n}\n${problems.join("\n")}\nserver:\n${serverLog}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

const h1 = () => page.locator("h1").first().textContent();

before(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "brief-browser-"));
  site = path.join(tmp, "site");
  execFileSync(BRIEF, ["new", site], { stdio: "pipe" });

  // A long body, so that the page can be scrolled to y = 600 and the reload has a position to keep.
  const file = path.join(site, "content/announcements/opening.md");
  const paragraphs = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1} of the long body, added by the browser test.`);
  original = `${await fs.readFile(file, "utf8")}\n${paragraphs.join("\n\n")}\n`;
  assert.match(original, new RegExp(`^title: ${GOOD_TITLE}$`, "m"), "the starter announcement's title changed");
  await fs.writeFile(file, original);

  server = spawn(BRIEF, ["serve", "--root", site, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  server.stderr.setEncoding("utf8");
  server.stderr.on("data", (d) => (serverLog += d));
  baseUrl = await servingUrl(server);

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  page = await context.newPage();
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    problem(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on("pageerror", (err) => problem(`uncaught error: ${err.message}`));
  page.on("requestfailed", (req) => {
    const error = req.failure()?.errorText;
    // A reload cancels the old page's live-reload stream: counted, and checked against the reloads.
    if (new URL(req.url()).pathname === "/__brief/events" && error === "net::ERR_ABORTED") abortedStreams += 1;
    // Any other request a reload abandons (the page's icon, say) is not a failure of the server.
    else if (error !== "net::ERR_ABORTED") problem(`request failed: ${req.method()} ${req.url()}: ${error}`);
  });
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on("response", (res) => {
    if (new URL(res.url()).pathname === "/__brief/events") {
      const type = res.headers()["content-type"] ?? "";
      if (res.status() === 200 && type.startsWith("text/event-stream")) streams += 1;
      else problem(`live-reload stream refused: ${res.status()} ${type}`);
    }
  });
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  });

  const response = await page.goto(new URL(PAGE, baseUrl).href, { waitUntil: "load" });
  assert.equal(response.status(), 200);
  assert.equal(await h1(), GOOD_TITLE);
  await streamsOpened(1);
});

after(async () => {
  await browser?.close().catch(() => {});
  let stopped;
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = once(server, "exit");
    server.kill("SIGINT");
    const timer = setTimeout(() => server.kill("SIGKILL"), 5_000);
    const [code, signal] = await exited;
    clearTimeout(timer);
    stopped = { code, signal };
  }
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  // Ctrl-C stops the server cleanly (after the page has seen everything, so a failure here is the
  // server's, not the page's).
  if (stopped) assert.deepEqual(stopped, { code: 0, signal: null }, `brief serve did not stop cleanly on SIGINT:\n${serverLog}`);
});

describe("brief serve in Chromium", { timeout: 60_000 }, () => {
  beforeEach((t) => {
    stage = t.name;
  });

  test("an edited page reloads by itself and shows the new title", async () => {
    await page.evaluate(() => { window.__marker = "before the edit"; });
    await page.evaluate(() => window.scrollTo(0, 600));
    assert.equal(await page.evaluate(() => window.scrollY), 600, "the page is too short to scroll to 600");

    await save("content/announcements/opening.md", withTitle(NEW_TITLE));
    await waitInPage("the new title", (t) => document.querySelector("h1")?.textContent === t, NEW_TITLE);
    // A new document, not the old one edited: the marker set on the old one is gone.
    assert.equal(await page.evaluate(() => window.__marker), undefined, "the page was not reloaded");
    await streamsOpened(2);
  });

  test("the reload keeps the scroll position", async () => {
    // The reloaded page scrolls back once it has loaded.
    await page.waitForFunction(() => document.readyState === "complete", null, WAIT);
    try {
      await page.waitForFunction(() => Math.abs(window.scrollY - 600) <= 2, null, { timeout: 5_000, polling: 50 });
    } catch {
      assert.fail(`scrollY after the reload is ${await page.evaluate(() => window.scrollY)}, not about 600`);
    }
  });

  test("a stylesheet change is applied without reloading the page", async () => {
    await page.evaluate(() => { window.__marker = 1; });
    const before = navigations;
    const css = path.join(site, "static/style.css");
    await save("static/style.css", `${await fs.readFile(css, "utf8")}\nh1 { color: rgb(1, 2, 3) }\n`);

    await waitInPage("the new h1 colour", () => getComputedStyle(document.querySelector("h1")).color === "rgb(1, 2, 3)");
    assert.equal(await page.evaluate(() => window.__marker), 1, "the page was reloaded");
    assert.equal(navigations, before, "the page navigated");
    assert.equal(await h1(), NEW_TITLE);
  });

  test("a broken file shows the error overlay, as text, over the last good page", async () => {
    await save("content/announcements/opening.md", withTitle(`[unclosed ${XSS}`));
    await waitInPage("the error overlay", () => document.getElementById("brief-error-overlay") !== null);
    const overlay = page.locator("#brief-error-overlay");
    await overlay.waitFor({ state: "visible", timeout: WAIT.timeout });

    const text = await overlay.textContent();
    assert.ok(text.includes("content/announcements/opening.md:"), `the overlay does not name the file:\n${text}`);
    assert.ok(text.includes(XSS), `the overlay does not show the broken line as text:\n${text}`);
    const html = await overlay.evaluate((el) => el.innerHTML);
    assert.equal(await overlay.locator("img").count(), 0, `the overlay holds an <img> from the content:\n${html}`);
    assert.ok(!/<img/i.test(html), `the overlay's HTML has an <img> tag:\n${html}`);
    assert.equal(await page.locator("img[src=x]").count(), 0, "an <img> from the content reached the page");
    // The page underneath is the last good version.
    assert.equal(await h1(), NEW_TITLE);

    await fs.mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, "overlay.png") });
    // Time for an injected handler to have fired, had there been one.
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, [], "a dialog opened");
  });

  test("fixing the file removes the overlay", async () => {
    // Undo the breaking edit: the site is what it was before it.
    await save("content/announcements/opening.md", withTitle(NEW_TITLE));
    await waitInPage("the overlay gone", () => document.getElementById("brief-error-overlay") === null);
    assert.equal(await h1(), NEW_TITLE);
    assert.deepEqual(dialogs, [], "a dialog opened");
  });

  test("after the problem, edits reload the page again", async () => {
    const opened = streams;
    await save("content/announcements/opening.md", withTitle(GOOD_TITLE));
    await waitInPage("the edited title", (t) => document.querySelector("h1")?.textContent === t, GOOD_TITLE);
    assert.equal(await page.locator("#brief-error-overlay").count(), 0);
    await streamsOpened(opened + 1);
  });

  test("no console errors and no failed requests during the run", async () => {
    assert.deepEqual(problems, []);
    // Each reload (every navigation after the first) cancelled exactly the stream of the page it replaced.
    assert.equal(abortedStreams, navigations - 1, "live-reload streams failed other than by a reload");
    assert.equal(streams, navigations, "a page load opened no live-reload stream, or more than one");
  });
});
