#!/usr/bin/env python3
"""Time from saving a file to `brief serve` announcing and serving the change.

    bench/serve_latency.py --pages 10000 [--runs 30] [--brief target/release/brief] [--languages en,zh,vi]

Generates the synthetic briefing of ../shared/bench/gen_site.py (the brief flavour, with this
project's templates), starts `brief serve --port 0` on it, listens to the live-reload stream, and
for each run rewrites one announcement (or a template, or the stylesheet) and measures:
  event  - from the write to the `reload`/`css` event arriving at the client (debounce included)
  served - from the write to the new bytes of the changed page being served
It prints the median and 95th percentile of each, per kind of change. With --languages, the
briefing has those languages and a saved Chinese translation is measured too.
"""
import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import queue

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def listen(port, events):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/__brief/events")
    resp = conn.getresponse()
    name = None
    while True:
        line = resp.fp.readline()
        if not line:
            return
        line = line.decode().rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            events.put((time.perf_counter(), name, line[6:]))


def fetch(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", path)
    return conn.getresponse().read().decode()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--brief", default=os.path.join(REPO, "target", "release", "brief"))
    ap.add_argument("--work", default="/dev/shm/brief-serve-bench")
    ap.add_argument("--languages", default="en")
    a = ap.parse_args()

    gen = os.path.join(REPO, "..", "shared", "bench", "gen_site.py")
    subprocess.run([sys.executable, gen, "--pages", str(a.pages), "--out", a.work, "--only", "brief",
                    "--languages", a.languages], check=True,
                   stdout=subprocess.DEVNULL)
    root = os.path.join(a.work, "brief")
    shutil.rmtree(os.path.join(root, "templates"), ignore_errors=True)
    shutil.copytree(os.path.join(REPO, "templates"), os.path.join(root, "templates"))
    shutil.rmtree(os.path.join(root, "messages"), ignore_errors=True)
    shutil.copytree(os.path.join(REPO, "messages"), os.path.join(root, "messages"))
    # The static files the templates refer to (stylesheet, search script, icon).
    shutil.copytree(os.path.join(REPO, "static"), os.path.join(root, "static"), dirs_exist_ok=True)

    server = subprocess.Popen([a.brief, "serve", "--root", root, "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        started = time.perf_counter()
        line = server.stdout.readline()
        port = int(line.strip().rstrip("/").rsplit(":", 1)[1])
        print(f"site: {a.pages} announcements in {a.languages}; first build and serve: {time.perf_counter() - started:.2f} s")
        log = []
        threading.Thread(target=lambda: [log.append(l.strip()) for l in server.stdout], daemon=True).start()
        events = queue.Queue()
        threading.Thread(target=listen, args=(port, events), daemon=True).start()
        time.sleep(0.5)

        def measure(kind, path_on_disk, edit, page, expect_event, must_name=None):
            ev, served = [], []
            for i in range(a.runs):
                text = open(path_on_disk, encoding="utf-8").read()
                new = edit(text, i)
                while not events.empty():
                    events.get_nowait()
                t0 = time.perf_counter()
                with open(path_on_disk, "w", encoding="utf-8") as f:
                    f.write(new)
                while True:
                    t, name, data = events.get(timeout=30)
                    if name == expect_event and (must_name is None or must_name in data):
                        ev.append((t - t0) * 1000)
                        break
                marker = f"bench-marker-{i}"
                while marker not in fetch(port, page):
                    pass
                served.append((time.perf_counter() - t0) * 1000)
                # Let the rest of the rebuild (the list pages) finish before the next save.
                time.sleep(0.4)
            rebuilt = [l for l in log if l.startswith("Rebuilt")]
            pages = rebuilt[-1].split(" in ")[0].removeprefix("Rebuilt ") if rebuilt else "?"
            print(f"{kind:<24} event median {statistics.median(ev):6.1f} ms  p95 {percentile(ev, 95):6.1f} ms   "
                  f"served median {statistics.median(served):6.1f} ms  p95 {percentile(served, 95):6.1f} ms   "
                  f"({pages} rendered)")

        ann = os.path.join(root, "content", "announcements", "announcement-000123.md")
        import re
        measure("announcement save", ann,
                lambda t, i: re.sub(r"^title: .*$", f'title: "Edited bench-marker-{i}"', t, count=1, flags=re.M),
                "/announcements/announcement-000123/", "reload", must_name="/announcements/announcement-000123/")
        for code in a.languages.split(",")[1:2]:
            tr = os.path.join(root, "content", "announcements", f"announcement-000123.{code}.md")
            measure(f"translation save ({code})", tr,
                    lambda t, i: re.sub(r"^title: .*$", f'title: "Edited bench-marker-{i}"', t, count=1, flags=re.M),
                    f"/{code}/announcements/announcement-000123/", "reload",
                    must_name=f"/{code}/announcements/announcement-000123/")
        tpl = os.path.join(root, "templates", "speaker.html")
        measure("template (speaker.html)", tpl,
                lambda t, i: re.sub(r"(<h1[^>]*>)(<!--bench-marker-\d+-->)?", rf"\g<1><!--bench-marker-{i}-->", t, count=1),
                "/speakers/speaker-00007/", "reload", must_name="/speakers/speaker-00007/")
        css = os.path.join(root, "static", "style.css")
        measure("stylesheet", css, lambda t, i: re.sub(r"/\*bench-marker-\d+\*/|$", f"/*bench-marker-{i}*/", t, count=1),
                "/style.css", "css")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
