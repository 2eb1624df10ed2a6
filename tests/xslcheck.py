#!/usr/bin/env python3
"""Apply a feed stylesheet to a feed with lxml (libxslt, the XSLT engine Chromium uses).

Usage: .venv/bin/python tests/xslcheck.py FEED.xml FEED.xsl

Prints one JSON object: {"html": the page, "title", "episodes": [episode titles], "links": [hrefs]}.
"""
import json
import sys

from lxml import etree


def main():
    feed = etree.parse(sys.argv[1])
    transform = etree.XSLT(etree.parse(sys.argv[2]))
    page = transform(feed)
    root = page.getroot()
    print(json.dumps({
        "html": str(page),
        "title": root.findtext(".//h1"),
        "episodes": [h.text for h in root.iter("h3")],
        "links": [a.get("href") for a in root.iter("a")],
        "audio": [a.get("src") for a in root.iter("audio")],
    }))


if __name__ == "__main__":
    main()
