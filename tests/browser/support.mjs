// What the browser tests share: launching Debian's Chromium through playwright-core, and a small
// static server that serves a built site under a base path as a static host would.
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_BIN || "/usr/bin/chromium";

/** Launches headless Chromium with the flags this machine needs (no background networking). */
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".ics": "text/calendar; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/** Serves `root` under `base` (such as `/briefing/`): `dir/` is `dir/index.html`. */
export function staticServer(root, base) {
  return http.createServer(async (req, res) => {
    const { pathname } = new URL(req.url, "http://127.0.0.1");
    let rel = null;
    try {
      if (pathname.startsWith(base)) rel = decodeURIComponent(pathname.slice(base.length));
    } catch {
      rel = null;
    }
    const file = rel === null ? null : path.resolve(root, rel.endsWith("/") || rel === "" ? `${rel}index.html` : rel);
    if (file && (file === root || file.startsWith(root + path.sep))) {
      try {
        const body = await fs.readFile(file);
        res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
        res.end(req.method === "HEAD" ? undefined : body);
        return;
      } catch {
        // Not a file: a 404 below.
      }
    }
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("not found\n");
  });
}

/**
 * Runs `brief <command>` (build or publish) on the site at `root` into a new temporary folder and
 * serves the result under `base`, as a static host would. The server listens first, because the
 * site's base URL names its port. Returns the output folder, the server's origin and `close()`,
 * which stops the server and removes the folder.
 */
export async function buildAndServe({ brief, command, root, base, prefix }) {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  const out = path.join(tmp, "out");
  const server = staticServer(out, base);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const origin = `http://127.0.0.1:${server.address().port}`;
  const close = async () => {
    if (server.listening) {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    }
    await fs.rm(tmp, { recursive: true, force: true });
  };
  try {
    execFileSync(brief, [command, "--root", root, "--out", out, "--base-url", `${origin}${base}`], { stdio: "pipe" });
  } catch (e) {
    await close();
    throw new Error(`brief ${command} failed:\n${e.stdout}${e.stderr}`);
  }
  return { out, origin, close };
}
