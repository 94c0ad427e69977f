#!/usr/bin/env python3
"""Status saves timed one after another, as a manager's phone makes them: read the station's
ETag, PATCH its status with If-Match, N times. Prints p50 / p99 / max in ms.

    bench/write-latency.py http://127.0.0.1:8080 200
"""
import json
import sys
import time
import urllib.request

base, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200


def call(method, path, body=None, headers=None):
    req = urllib.request.Request(base + path, method=method, headers=headers or {})
    if body is not None:
        req.data = json.dumps(body).encode()
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req) as res:
        return res.status, dict(res.headers), res.read()


status, headers, body = call(
    "POST", "/api/v1/session", {"username": "wangjing-manager", "password": "yizhan-demo-manager"}
)
cookie = headers["set-cookie"].split(";")[0]
csrf = json.loads(body)["csrf_token"]
auth = {"Cookie": cookie}
first = json.loads(call("GET", "/api/v1/manage/stations", headers=auth)[2])["stations"][0]
station = first.get("station", first)["id"]
times = []
for i in range(n):
    _, h, _ = call("GET", f"/api/v1/stations/{station}")
    started = time.perf_counter()
    call(
        "PATCH",
        f"/api/v1/stations/{station}/status",
        {"state": "open" if i % 2 else "closed", "notice": f"bench {i}", "amenities": []},
        {**auth, "X-CSRF-Token": csrf, "If-Match": h["etag"]},
    )
    times.append((time.perf_counter() - started) * 1000)
times.sort()
pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print(f"status writes: {n}, p50 {pick(0.5):.1f} ms, p99 {pick(0.99):.1f} ms, max {times[-1]:.1f} ms")
