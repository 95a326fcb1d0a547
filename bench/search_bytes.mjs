// What a reader's browser downloads to see the first results of a search: publishes the site
// under a local address, opens its search page in Chromium, types a query, waits for the
// results, and sums the bodies of every request the search made (everything under /pagefind/):
// as stored (`bytes`; Pagefind's index files are compressed already), and as a host that serves
// the published .br copies sends them (`brotli_bytes`: pagefind.js and the JSON). Prints one
// JSON line.
//
//   node bench/search_bytes.mjs --brief target/release/brief --site SITE --out OUT --query cooperation
//
// Needs Debian's chromium and npm's playwright-core (scripts/test installs both).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { launchChromium, staticServer } from "../tests/browser/support.mjs";

const { values } = parseArgs({
  options: { brief: { type: "string" }, site: { type: "string" }, out: { type: "string" }, query: { type: "string", default: "cooperation" } },
});
const server = staticServer(values.out, "/");
server.listen(0, "127.0.0.1");
await once(server, "listening");
const origin = `http://127.0.0.1:${server.address().port}`;
execFileSync(values.brief, ["publish", "--root", values.site, "--out", values.out, "--base-url", `${origin}/`], { stdio: "pipe" });

const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const fetched = [];
  page.on("requestfinished", async (req) => {
    const url = new URL(req.url());
    if (!url.pathname.includes("/pagefind/")) return;
    const sizes = await req.sizes();
    const br = path.join(values.out, `${url.pathname}.br`);
    fetched.push({ path: url.pathname, bytes: sizes.responseBodySize, brotli: fs.existsSync(br) ? fs.statSync(br).size : sizes.responseBodySize });
  });
  await page.goto(`${origin}/search/`, { waitUntil: "load" });
  await page.waitForFunction(() => !document.getElementById("search").hidden, null, { timeout: 60_000 });
  await page.locator("#search-q").fill(values.query);
  await page.waitForFunction(() => document.querySelectorAll("#search-results > li").length > 0, null, { timeout: 60_000 });
  await page.waitForLoadState("networkidle");
  const results = await page.locator("#search-results > li").count();
  const status = await page.locator("#search-status").textContent();
  const bytes = fetched.reduce((sum, f) => sum + f.bytes, 0);
  const brotli_bytes = fetched.reduce((sum, f) => sum + f.brotli, 0);
  console.log(JSON.stringify({ query: values.query, results, status, requests: fetched.length, bytes, brotli_bytes, files: fetched }));
} finally {
  await browser.close();
  server.close();
}
