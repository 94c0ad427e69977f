"""Schemathesis hooks for the Yizhan API run (tests/schemathesis/run.sh).

Two rules of the API cannot be written in its description, so the run respects them here.

A request whose `Idempotency-Key` was seen before gets the first answer again before any other
check (the contract's idempotency), so a generated request reusing a key (generation favours
`00000000`) would be answered 201 whatever else it carries. Every well-formed key is made fresh;
a deliberately malformed one is sent as generated. Replays are tested by the API tests.

In `bbox=minLng,minLat,maxLng,maxLat` each minimum is at most its maximum (the server answers 400 `invalid_query`
otherwise, and says so in the parameter's description). The `bbox` pattern fixes everything
else (four decimal numbers, longitudes within ±180, latitudes within ±90), so a generated box
that matches it differs from one the description means only in the order of its corners; this
hook puts them in order before the request is sent. A box that does not match the pattern (a
deliberately invalid one) is sent as generated.
"""

import re
import uuid

import schemathesis

IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{8,100}", re.ASCII)

_LNG = r"-?(180(\.0+)?|(1[0-7][0-9]|[0-9]{1,2})(\.[0-9]+)?)"
_LAT = r"-?(90(\.0+)?|[0-8]?[0-9](\.[0-9]+)?)"
BBOX = re.compile(f"{_LNG},{_LAT},{_LNG},{_LAT}", re.ASCII)


def ordered_bbox(value: str) -> str:
    """The box with each minimum at most its maximum; other values unchanged."""
    if not BBOX.fullmatch(value):
        return value
    parts = value.split(",")
    for low, high in ((0, 2), (1, 3)):
        if float(parts[low]) > float(parts[high]):
            parts[low], parts[high] = parts[high], parts[low]
    return ",".join(parts)


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    bbox = (case.query or {}).get("bbox")
    if isinstance(bbox, str):
        case.query["bbox"] = ordered_bbox(bbox)
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and IDEMPOTENCY_KEY.fullmatch(key):
        case.headers["Idempotency-Key"] = uuid.uuid4().hex
