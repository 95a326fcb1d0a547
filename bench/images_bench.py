#!/usr/bin/env python3
"""Image processing benchmark: a briefing with N speaker photos, built cold (no image cache) and
warm (the cache kept, the output removed), by brief and by Hugo doing the same work.

    python3 bench/images_bench.py                 # 500 photos, 5 runs each
    python3 bench/images_bench.py --photos 200 --runs 3

Each photo is a 1600 x 1200 JPEG with EXIF data (as a camera writes one), beside its speaker's
Markdown file. brief makes three widths (160, 320, 640) in WebP and JPEG of each, as its
templates ask; the Hugo site is the same photos as page bundles, resized by its template to the
same widths and formats (`.Resize "160x webp"` ...), its cache in `resources/_gen`. brief's
cache is `.brief/cache/images`. A cold run removes the cache and the output first; a warm run
removes only the output. The same site without photos is timed too, so the warm figure can be
read as what the photos cost once processed.

Needs: hyperfine and hugo (apt-get install hyperfine hugo), Pillow (pip install pillow), and
`cargo build --release` done. Prints a table of medians and ratios; writes the hyperfine JSON and
summary.md into WORK (default /dev/shm/brief-images-bench).
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BRIEF = PROJECT / "target" / "release" / "brief"

HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Photos"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
[imaging]
quality = 82
resampleFilter = "Lanczos"
"""

HUGO_SINGLE = """<!doctype html><html><head><title>{{ .Title }}</title></head><body>
<h1>{{ .Title }}</h1>
{{ with .Resources.GetMatch "*.jpg" }}
<picture>
<source type="image/webp" srcset="{{ (.Resize "160x webp q78").RelPermalink }} 160w, {{ (.Resize "320x webp q78").RelPermalink }} 320w, {{ (.Resize "640x webp q78").RelPermalink }} 640w">
{{ $l := .Resize "640x jpg q82" }}
<img src="{{ $l.RelPermalink }}" srcset="{{ (.Resize "160x jpg q82").RelPermalink }} 160w, {{ (.Resize "320x jpg q82").RelPermalink }} 320w, {{ $l.RelPermalink }} 640w" width="{{ $l.Width }}" height="{{ $l.Height }}" alt="{{ $.Title }}">
</picture>
{{ end }}
{{ .Content }}
</body></html>
"""

HUGO_LIST = """<!doctype html><html><head><title>{{ .Title }}</title></head><body>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</body></html>
"""


def photo(path: Path, i: int, rng: random.Random) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1200), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(1600), rng.randrange(1200)
        draw.ellipse((x, y, x + rng.randrange(40, 400), y + rng.randrange(40, 400)),
                     fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    noise = Image.effect_noise((1600, 1200), 40).convert("RGB")
    image = Image.blend(image, noise, 0.25)
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {1: "N", 2: (22.0, 49.0, float(i % 60)), 3: "E", 4: (108.0, 19.0, 0.0)}
    image.save(path, quality=90, exif=exif.tobytes())


def make_sites(work: Path, photos: int) -> None:
    rng = random.Random(2012)
    shots = work / "photos"
    shots.mkdir(parents=True, exist_ok=True)
    for i in range(photos):
        target = shots / f"p{i}.jpg"
        if not target.exists():
            photo(target, i, rng)

    for name, with_photos in (("brief", True), ("brief-plain", False)):
        site = work / name
        if site.exists():
            shutil.rmtree(site)
        subprocess.run([str(BRIEF), "new", str(site)], check=True, stdout=subprocess.DEVNULL)
        speakers = site / "content" / "speakers"
        for i in range(photos):
            front = f"name: Person {i}\nrole: Delegate\n"
            if with_photos:
                shutil.copy(shots / f"p{i}.jpg", speakers / f"p{i}.jpg")
                front += f"photo:\n  src: p{i}.jpg\n  alt: Person {i} at the expo\n"
            (speakers / f"p{i}.md").write_text(f"---\n{front}---\nA delegate.\n")

    hugo = work / "hugo"
    if hugo.exists():
        shutil.rmtree(hugo)
    (hugo / "layouts" / "_default").mkdir(parents=True)
    (hugo / "hugo.toml").write_text(HUGO_CONFIG)
    (hugo / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
    (hugo / "layouts" / "_default" / "list.html").write_text(HUGO_LIST)
    (hugo / "layouts" / "index.html").write_text(HUGO_LIST)
    for i in range(photos):
        bundle = hugo / "content" / "speakers" / f"p{i}"
        bundle.mkdir(parents=True)
        shutil.copy(shots / f"p{i}.jpg", bundle / f"p{i}.jpg")
        (bundle / "index.md").write_text(f"---\ntitle: Person {i}\n---\nA delegate.\n")


def hyperfine(work: Path, name: str, runs: int, prepare: str, command: str) -> float:
    out = work / f"{name}.json"
    subprocess.run(
        ["hyperfine", "--runs", str(runs), "--warmup", "1", "--prepare", prepare, "--export-json", str(out),
         "--command-name", name, command],
        check=True, stdout=subprocess.DEVNULL,
    )
    result = json.loads(out.read_text())["results"][0]
    return result["median"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/brief-images-bench"))
    args = parser.parse_args()
    for tool in ("hyperfine", "hugo"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing: apt-get install {tool}", file=sys.stderr)
            return 1
    if not BRIEF.exists():
        print("build brief first: cargo build --release", file=sys.stderr)
        return 1
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    make_sites(work, args.photos)
    b, plain, h = work / "brief", work / "brief-plain", work / "hugo"
    build = f"{BRIEF} build --root {b}"
    times = {
        "brief cold": hyperfine(work, "brief-cold", args.runs, f"rm -rf {b}/public {b}/.brief/cache", build),
        "brief warm": hyperfine(work, "brief-warm", args.runs, f"rm -rf {b}/public", build),
        "brief, no photos": hyperfine(work, "brief-plain", args.runs, f"rm -rf {plain}/public",
                                      f"{BRIEF} build --root {plain}"),
        "hugo cold": hyperfine(work, "hugo-cold", args.runs, f"rm -rf {h}/public {h}/resources",
                               f"hugo --quiet --source {h}"),
        "hugo warm": hyperfine(work, "hugo-warm", args.runs, f"rm -rf {h}/public", f"hugo --quiet --source {h}"),
    }
    lines = [
        f"# {args.photos} photos of 1600 x 1200, 3 widths x (WebP + JPEG) each; medians of {args.runs} runs",
        "",
        "| build | median (s) |",
        "|---|---|",
    ]
    lines += [f"| {name} | {t:.3f} |" for name, t in times.items()]
    lines += [
        "",
        f"- brief cold / Hugo cold: {times['brief cold'] / times['hugo cold']:.2f}",
        f"- brief warm / Hugo warm: {times['brief warm'] / times['hugo warm']:.2f}",
        f"- brief warm / brief cold: {times['brief warm'] / times['brief cold']:.3f}",
        f"- brief warm with photos / without: {times['brief warm'] / times['brief, no photos']:.2f}",
    ]
    summary = "\n".join(lines) + "\n"
    (work / "summary.md").write_text(summary)
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
