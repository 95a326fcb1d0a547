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

/** A free port on 127.0.0.1, found by listening on port 0 and closing again. */
async function freePort() {
  const probe = http.createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Debian's nginx: from PATH, else /usr/sbin/nginx (scripts/test installs it). */
function nginxBinary() {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    const candidate = path.join(dir, "nginx");
    try {
      execFileSync("test", ["-x", candidate]);
      return candidate;
    } catch {
      // not here
    }
  }
  return "/usr/sbin/nginx";
}

/**
 * A real nginx serving `root` under `base` on `port`, as a server's document root would: one
 * unprivileged process with every path of its own inside `dir`, the precompressed copies served
 * with gzip_static. Resolves once it accepts connections; `stop()` ends it.
 */
export async function nginxServer({ root, base, port, dir }) {
  const conf = `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log ${dir}/access.log;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    server {
        listen 127.0.0.1:${port};
        gzip_static on;
        charset utf-8;
        location ${base} {
            alias ${root}/;
            index index.html;
            error_page 404 ${base}404.html;
        }
    }
}
`;
  await fs.writeFile(path.join(dir, "nginx.conf"), conf);
  const { spawn } = await import("node:child_process");
  const child = spawn(nginxBinary(), ["-c", path.join(dir, "nginx.conf"), "-p", dir, "-e", path.join(dir, "error.log")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = once(child, "exit");
  const net = await import("node:net");
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${stderr}`);
    const up = await new Promise((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error(`nginx did not answer on port ${port} within 15 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}

/**
 * Runs `brief <command>` (build or publish, with `args`) on the site at `root` into a new
 * temporary folder and serves the result under `base`, as a static host would: by a small Node
 * server, or with `nginx: true` by a real nginx. The server's port is chosen first, because the
 * site's base URL names it. Returns the output folder, the server's origin and `close()`, which
 * stops the server and removes the folder.
 */
export async function buildAndServe({ brief, command, root, base, prefix, args = [], nginx = false }) {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  const out = path.join(tmp, "out");
  let origin;
  let stopServer = null;
  let nginxStart = null;
  if (nginx) {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    nginxStart = { root: out, base, port, dir: tmp };
  } else {
    const server = staticServer(out, base);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    origin = `http://127.0.0.1:${server.address().port}`;
    stopServer = async () => {
      if (server.listening) {
        server.closeAllConnections?.();
        await new Promise((resolve) => server.close(resolve));
      }
    };
  }
  const close = async () => {
    await stopServer?.();
    await fs.rm(tmp, { recursive: true, force: true });
  };
  try {
    execFileSync(brief, [command, "--root", root, "--out", out, "--base-url", `${origin}${base}`, ...args], { stdio: "pipe" });
  } catch (e) {
    await close();
    throw new Error(`brief ${command} failed:\n${e.stdout}${e.stderr}`);
  }
  if (nginx) {
    try {
      const server = await nginxServer(nginxStart);
      stopServer = server.stop;
    } catch (e) {
      await close();
      throw e;
    }
  }
  return { out, origin, close };
}
