#!/usr/bin/env python3
"""Time several commands in alternation, with the peak memory of every run.

    bench/alternate.py --runs 5 --warmup 1 --json out.json \\
        --name brief --prepare "rm -rf /dev/shm/o1" --cmd "brief build --out /dev/shm/o1" \\
        --name hugo  --prepare "rm -rf /dev/shm/o2" --cmd "hugo --destination /dev/shm/o2"

Each round runs every command once; the order is reversed every other round (A B, B A, A B ...),
so that a slow minute on the machine, or a cache warmed by the run before, falls on both commands
alike. Before each run the command's --prepare step runs (untimed). Each run is executed under
GNU time (`/usr/bin/time -v`), which gives its peak resident memory; the wall time is taken here
around the process, with a monotonic clock. Warmup rounds are run the same way and not recorded.

hyperfine cannot interleave the runs of two commands, which is why this exists. It prints one line
per run and writes the times and peak memory of every run, with medians, to --json. A command that
fails stops the measurement with its exit status and its last lines of output.
"""
import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="recorded runs of each command (default 5)")
    ap.add_argument("--warmup", type=int, default=1, help="unrecorded rounds first (default 1)")
    ap.add_argument("--json", help="write every run and the medians here")
    ap.add_argument("--name", action="append", default=[], help="a command's name (one per --cmd)")
    ap.add_argument("--prepare", action="append", default=[], help="shell command run before each run (one per --cmd)")
    ap.add_argument("--cmd", action="append", default=[], help="the command to time, as a shell word list")
    a = ap.parse_args(argv)
    if not a.cmd or not (len(a.name) == len(a.prepare) == len(a.cmd)):
        ap.error("give --name, --prepare and --cmd once for each command, in that order")
    if a.runs < 1 or a.warmup < 0:
        ap.error("--runs must be at least 1 and --warmup at least 0")
    return a


def run_once(prepare, cmd):
    """Runs `prepare`, then `cmd` under /usr/bin/time -v; returns (seconds, peak RSS in KiB)."""
    subprocess.run(prepare, shell=True, check=True)
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report, tempfile.TemporaryFile("w+") as output:
        argv = ["/usr/bin/time", "-v", "-o", report.name] + shlex.split(cmd)
        started = time.perf_counter()
        status = subprocess.run(argv, stdout=output, stderr=subprocess.STDOUT).returncode
        seconds = time.perf_counter() - started
        if status != 0:
            output.seek(0)
            tail = output.read()[-2000:]
            sys.exit(f"`{cmd}` failed with exit status {status}:\n{tail}")
        text = report.read()
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if not match:
        sys.exit(f"/usr/bin/time gave no peak memory for `{cmd}`:\n{text}")
    return seconds, int(match.group(1))


def main(argv):
    a = parse_args(argv)
    commands = list(zip(a.name, a.prepare, a.cmd))
    runs = {name: {"command": cmd, "times": [], "max_rss_kb": []} for name, _, cmd in commands}
    for round_ in range(a.warmup + a.runs):
        order = commands if round_ % 2 == 0 else commands[::-1]
        for name, prepare, cmd in order:
            seconds, rss = run_once(prepare, cmd)
            warm = round_ < a.warmup
            label = "warmup" if warm else f"run {round_ - a.warmup + 1}/{a.runs}"
            print(f"  {name:<12} {label:<10} {seconds:8.3f} s  {rss / 1024:8.0f} MB", flush=True)
            if not warm:
                runs[name]["times"].append(seconds)
                runs[name]["max_rss_kb"].append(rss)
    for r in runs.values():
        t = r["times"]
        r.update(
            median=statistics.median(t),
            mean=statistics.fmean(t),
            stddev=statistics.stdev(t) if len(t) > 1 else 0.0,
            min=min(t),
            max=max(t),
            max_rss_kb_median=statistics.median(r["max_rss_kb"]),
        )
    result = {"runs": a.runs, "warmup": a.warmup, "order": "alternating", "results": runs}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1)
    for name, r in runs.items():
        print(f"  {name:<12} median {r['median']:.3f} s (min {r['min']:.3f}, max {r['max']:.3f}), "
              f"peak memory median {r['max_rss_kb_median'] / 1024:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
