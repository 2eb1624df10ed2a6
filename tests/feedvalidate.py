#!/usr/bin/env python3
"""Validate a feed with the W3C Feed Validation Service's validator (tests/vendor/feedvalidator).

Usage: .venv/bin/python tests/feedvalidate.py FEED.xml URL

Prints one JSON object: {"valid": bool, "errors": [...], "warnings": [...]}, each event as
{"type", "element", "line"}, at the online service's compatibility level ("AA"). Valid means
no errors, as the service says "This is a valid RSS feed"; warnings are listed.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "vendor"))

import feedvalidator  # noqa: E402
from feedvalidator import compatibility  # noqa: E402
from feedvalidator import logging as events_of  # noqa: E402


def main():
    path, url = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        data = f.read()
    try:
        events = feedvalidator.validateString(data, firstOccurrenceOnly=1, base=url)["loggedEvents"]
    except feedvalidator.logging.ValidationFailure as failure:
        events = [failure.event]
    events = compatibility.AA(events)

    def shown(e):
        return {"type": type(e).__name__, "element": e.params.get("element"), "line": e.params.get("line")}

    errors = [shown(e) for e in events if isinstance(e, events_of.Error)]
    warnings = [shown(e) for e in events if not isinstance(e, events_of.Error)]
    print(json.dumps({"valid": not errors, "errors": errors, "warnings": warnings}))


if __name__ == "__main__":
    main()
