#!/usr/bin/env python3
"""Turns a JMH JSON result file (-rf json) of the DynamicShare benchmarks into Markdown: every score with its
error and allocation, then the ratios the goals are stated in.

    python3 benchmarks/summarize.py benchmarks/results/jdk17.json

A ratio's range combines both scores' 99.9% error intervals (worst and best case), so an overlap with the goal
shows at a glance.
"""
import json
import sys


def load(path):
    with open(path) as f:
        runs = json.load(f)
    out = {}
    for r in runs:
        name = r["benchmark"].split(".bench.")[-1]
        params = r.get("params", {})
        key = (name, tuple(sorted(params.items())))
        pm = r["primaryMetric"]
        sec = r.get("secondaryMetrics", {})
        out[key] = {
            "name": name,
            "params": params,
            "mode": r["mode"],
            "threads": r.get("threads", 1),
            "score": pm["score"],
            "error": pm["scoreError"] if pm["scoreError"] == pm["scoreError"] else 0.0,  # NaN with one sample
            "unit": pm["scoreUnit"],
            "alloc": sec.get("gc.alloc.rate.norm", {}).get("score"),
            "allocError": sec.get("gc.alloc.rate.norm", {}).get("scoreError"),
            "sec": sec,
        }
    return out


def find(res, name, **params):
    want = {k: str(v) for k, v in params.items()}
    for (n, p), v in res.items():
        if n == name and all(dict(p).get(k) == val for k, val in want.items()):
            return v
    return None


def fmt(x):
    if x is None:
        return "n/a"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    if abs(x) >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def ratio(a, b):
    """a / b with the range from both error intervals."""
    r = a["score"] / b["score"]
    lo = max(a["score"] - a["error"], 1e-12) / (b["score"] + b["error"])
    hi = (a["score"] + a["error"]) / max(b["score"] - b["error"], 1e-12)
    return r, lo, hi


def verdict(r, lo, hi, goal, le):
    if le:
        return "met" if hi <= goal else ("met (within error)" if r <= goal else "MISSED")
    return "met" if lo >= goal else ("met (within error)" if r >= goal else "MISSED")


def main(path):
    res = load(path)
    print("| benchmark | params | mode | threads | score | ± error | unit | alloc B/op |")
    print("|---|---|---|---|---|---|---|---|")
    for key in sorted(res):
        v = res[key]
        params = ", ".join(f"{k}={val}" for k, val in sorted(v["params"].items()))
        alloc = "n/a" if v["alloc"] is None else f"{v['alloc']:,.0f}"
        print(f"| {v['name']} | {params} | {v['mode']} | {v['threads']} | {fmt(v['score'])} | {fmt(v['error'])} "
              f"| {v['unit']} | {alloc} |")
    print()
    print("| goal | measured | range from errors | verdict |")
    print("|---|---|---|---|")

    def row(label, a, b, goal, le=True, unit="x"):
        if a is None or b is None:
            print(f"| {label} | not measured | | |")
            return
        r, lo, hi = ratio(a, b)
        print(f"| {label} | {r:.2f}{unit} | {lo:.2f} to {hi:.2f} | {verdict(r, lo, hi, goal, le)} |")

    for size, goal in (("1024", 1.5), ("25600", 1.2), ("102400", 1.1)):
        row(f"warm getEntry {int(size) // 1024} KB <= {goal}x bare GCM decrypt",
            find(res, "WarmGetEntryBench.dynamicShareGetEntry", size=size),
            find(res, "WarmGetEntryBench.baselineJdkGcmDecrypt", size=size), goal)
    row("warm getEntry 1 KB with audit.actor=application <= 1.5x bare GCM decrypt",
        find(res, "WarmGetEntryBench.dynamicShareGetEntryApplicationActor", size="1024"),
        find(res, "WarmGetEntryBench.baselineJdkGcmDecrypt", size="1024"), 1.5)
    set25 = find(res, "SetEntryBench.dynamicShareSetEntry", size="25600")
    base25 = find(res, "SetEntryBench.baselineGcmEncryptPlusRsaOaepWrap", size="25600")
    row("setEntry 25 KB <= 1.3x GCM encrypt + RSA-OAEP-256 wrap", set25, base25, 1.3)
    validate = find(res, "SetEntryBreakdownBench.validateWallet", size="25600")
    if set25 and base25 and validate:
        rest = {"score": set25["score"] - validate["score"], "error": set25["error"] + validate["error"]}
        r, lo, hi = ratio(rest, base25)
        print(f"| (explains it) setEntry 25 KB minus its wallet validation ({fmt(validate['score'])} us, "
              f"SetEntryBreakdownBench) / the same baseline | {r:.2f}x | {lo:.2f} to {hi:.2f} | info |")
    row("getEntry 2 KB >= 500x faster than PKCS12",
        find(res, "OtherKeyStoresBench.pkcs12GetEntry", size="2048"),
        find(res, "OtherKeyStoresBench.dynamicShareGetEntry", size="2048"), 500, le=False)
    row("load 10,000 x 25 KB <= 2x read + SHA-256",
        find(res, "LoadStoreBench.dynamicShareLoad", entries="10000"),
        find(res, "LoadStoreBench.baselineReadAndSha256", entries="10000"), 2.0)
    for size in ("1024", "25600"):
        row(f"2 threads >= 1.7x 1 thread, warm getEntry {int(size) // 1024} KB (throughput)",
            find(res, "GetEntryThreadsBench.getEntry2Threads", size=size),
            find(res, "GetEntryThreadsBench.getEntry1Thread", size=size), 1.7, le=False)
        row(f"(hardware reference) bare GCM decrypt {int(size) // 1024} KB, 2 threads / 1 thread",
            find(res, "GetEntryThreadsBench.baselineGcmDecrypt2Threads", size=size),
            find(res, "GetEntryThreadsBench.baselineGcmDecrypt1Thread", size=size), 1.7, le=False)
    for size in ("1024", "25600", "102400"):
        g = find(res, "WarmGetEntryBench.dynamicShareGetEntry", size=size)
        b = find(res, "WarmGetEntryBench.baselineJdkGcmDecrypt", size=size)
        if g and g["alloc"] is not None:
            extra = "" if not b or b["alloc"] is None else f"; bare GCM {b['alloc']:,.0f} B/op, product adds {g['alloc'] - b['alloc']:,.0f} B"
            r = g["alloc"] / int(size)
            print(f"| allocation per warm getEntry {int(size) // 1024} KB <= 2x payload | {g['alloc']:,.0f} B/op = {r:.2f}x "
                  f"| {extra.lstrip('; ')} | {'met' if r <= 2 else 'MISSED'} |")
    for name in ("coldGetEntry", "warmGetEntry"):
        for lat in ("0", "20"):
            v = find(res, f"ColdGetEntryAzureBench.{name}", latencyMs=lat)
            if v and "vaultCalls" in v["sec"] and v["sec"].get("ops", {}).get("score"):
                calls = v["sec"]["vaultCalls"]["score"] / v["sec"]["ops"]["score"]
                print(f"| Azure {name}, {lat} ms injected latency: vault calls per op | {calls:.2f} "
                      f"| {fmt(v['score'])} ± {fmt(v['error'])} {v['unit']} | info |")
    s = find(res, "SetEntryBench.dynamicShareSetEntry", size="25600")
    if s and "vaultCalls" in s["sec"] and s["sec"].get("ops", {}).get("score"):
        print(f"| setEntry (Azure RSA-2048, local wrap): vault calls per op | "
              f"{s['sec']['vaultCalls']['score'] / s['sec']['ops']['score']:.4f} | | info |")


if __name__ == "__main__":
    main(sys.argv[1])
