// The Nu Html Checker (npm's vnu-jar, run on the machine's Java) on every page the real briefing
// generates: the output of `brief build` (readable HTML, as the templates write it) and the output of
// `brief publish` (minified). Any error fails the test; warnings are not checked. The stylesheets of
// the build are checked with the checker's CSS mode too.
//
// Run with `node --test tests/browser/` (scripts/test does). Needs `java` (Java 11 or later; Debian's
// default-jre-headless) and npm's vnu-jar; the brief binary is BRIEF_BIN (default target/debug/brief).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const BRIEF = path.resolve(REPO, process.env.BRIEF_BIN || "target/debug/brief");
const JAVA = process.env.JAVA_BIN || "java";
const VNU = path.join(path.dirname(require.resolve("vnu-jar/package.json")), "build", "dist", "vnu.jar");

/** Every file under `dir` whose name ends with `ext`, sorted. */
async function filesUnder(dir, ext) {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .sort();
}

/** Runs the checker on `files`; returns its messages of type error (with their file relative to `root`). */
function vnu(root, files, extra = []) {
  return new Promise((resolve, reject) => {
    execFile(
      JAVA,
      ["-jar", VNU, "--errors-only", "--format", "json", ...extra, ...files],
      { maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        // Exit 1 means "errors found"; the report is JSON on stderr either way.
        if (err && typeof err.code !== "number") return reject(err);
        const text = stderr.trim() || stdout.trim();
        let report;
        try {
          report = JSON.parse(text);
        } catch {
          return reject(new Error(`the Nu Html Checker did not answer with JSON (exit ${err?.code ?? 0}):\n${stdout}\n${stderr}`));
        }
        const errors = (report.messages ?? [])
          .filter((m) => m.type === "error" || m.subType === "fatal")
          .map((m) => {
            const file = m.url ? path.relative(root, fileURLToPath(m.url)) : "?";
            return `${file}:${m.lastLine ?? "?"}:${m.firstColumn ?? m.lastColumn ?? "?"}: ${m.message}${m.extract ? `\n    ${m.extract.replace(/\n/g, "⏎")}` : ""}`;
          });
        if (err && errors.length === 0) return reject(new Error(`the Nu Html Checker failed (exit ${err.code}) without errors to report:\n${stderr}`));
        resolve(errors);
      },
    );
  });
}

/** Why the checker cannot run here, or null. */
function checkerMissing() {
  try {
    execFileSync(JAVA, ["-version"], { stdio: "pipe" });
  } catch (e) {
    return `\`${JAVA} -version\` failed (${e.code ?? `exit ${e.status}`}): the Nu Html Checker needs Java (Debian: default-jre-headless; scripts/test installs it)`;
  }
  return null;
}

/** Two small PNGs: a portrait and a landscape of one colour each. */
const PORTRAIT =
  "iVBORw0KGgoAAAANSUhEUgAAADAAAABACAIAAADTQmMRAAAAVklEQVR4nO3OIQEAIQAAMSAXsQmIf3OSF1uCzbP3+JP1OvAlVISKUBEqQkWoCBWhIlSEilARKkJFqAgVoSJUhIpQESpCRagIFaEiVISKUBEqQkWoCJULsF0BrFkWKlAAAAAASUVORK5CYII=";
const LANDSCAPE =
  "iVBORw0KGgoAAAANSUhEUgAAAGAAAAAwCAIAAABhdOiYAAAAfklEQVR4nO3QQRHAIADAMEDXhCEMgVOw65M9EgW9zmefwbd1O+DvDAoGBYOCQcGgYFAwKBgUDAoGBYOCQcGgYFAwKBgUDAoGBYOCQcGgYFAwKBgUDAoGBYOCQcGgYFAwKBgUDAoGBYOCQcGgYFAwKBgUDAoGBYOCQcGgYFB4AZRyAcjdKbf/AAAAAElFTkSuQmCC";

let tmp;
const outputs = new Map(); // command -> Promise of its output folder

/** The output of `brief <command>` of the real briefing, made once. */
function output(command) {
  if (!outputs.has(command)) {
    const out = path.join(tmp, command);
    outputs.set(
      command,
      new Promise((resolve, reject) =>
        execFile(BRIEF, [command, "--root", REPO, "--out", out], (err, stdout, stderr) =>
          err ? reject(new Error(`brief ${command} failed:\n${stdout}${stderr}`)) : resolve(out),
        ),
      ),
    );
  }
  return outputs.get(command);
}

describe("the Nu Html Checker on every generated page", { timeout: 180_000 }, () => {
  before(async () => {
    const missing = checkerMissing();
    if (missing) throw new Error(missing);
    await fs.access(VNU).catch(() => {
      throw new Error(`${VNU} is missing: run npm ci`);
    });
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), "brief-html-"));
  });

  after(async () => {
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  for (const command of ["build", "publish"]) {
    test(`brief ${command}: no errors in any page`, async () => {
      const out = await output(command);
      const pages = await filesUnder(out, ".html");
      // Every page kind: home, lists, one page per announcement, speaker and topic, about, search, 404.
      assert.ok(pages.length >= 11, `only ${pages.length} pages in ${out}`);
      for (const page of ["index.html", "404.html", "search/index.html", "timeline/index.html"]) {
        assert.ok(pages.includes(path.join(out, page)), `no ${page} in ${out}`);
      }
      const errors = await vnu(out, pages);
      assert.deepEqual(errors, [], `the Nu Html Checker found ${errors.length} errors in the output of brief ${command}`);
    });
  }

  // The real briefing has no photos: a new briefing given a photo and a picture checks the
  // `<picture>` markup, its `srcset`, `sizes` and sizes, and the Open Graph image tags.
  test("a briefing with photos: no errors in any page", async () => {
    const site = path.join(tmp, "photos");
    execFileSync(BRIEF, ["new", site], { stdio: "pipe" });
    const png = (b64) => Buffer.from(b64, "base64");
    await fs.writeFile(path.join(site, "content/speakers/jane.png"), png(PORTRAIT));
    await fs.writeFile(path.join(site, "content/announcements/hall.png"), png(LANDSCAPE));
    const edit = async (rel, field) => {
      const file = path.join(site, rel);
      const text = await fs.readFile(file, "utf8");
      await fs.writeFile(file, text.replace("---\n", `---\n${field}\n`));
    };
    await edit("content/speakers/jane-doe.md", "photo: {src: jane.png, alt: Jane Doe at the lectern, credit: Example Agency}");
    await edit("content/announcements/opening.md", "image: {src: hall.png, alt: The exhibition hall, credit: Example Agency}");
    for (const command of ["build", "publish"]) {
      const out = path.join(tmp, `photos-${command}`);
      execFileSync(BRIEF, [command, "--root", site, "--out", out], { stdio: "pipe" });
      const pages = await filesUnder(out, ".html");
      const speaker = await fs.readFile(path.join(out, "speakers/jane-doe/index.html"), "utf8");
      assert.match(speaker, /<picture>/, `no photo on the speaker's page of brief ${command}`);
      const errors = await vnu(out, pages);
      assert.deepEqual(errors, [], `the Nu Html Checker found ${errors.length} errors in brief ${command} with photos`);
    }
  });

  test("brief build: no errors in the stylesheets", async () => {
    const out = await output("build");
    const sheets = await filesUnder(out, ".css");
    assert.ok(sheets.length > 0, `no stylesheet in ${out}`);
    const errors = await vnu(out, sheets, ["--css"]);
    assert.deepEqual(errors, [], `the Nu Html Checker found ${errors.length} errors in the stylesheets`);
  });
});
