#!/usr/bin/env python3
"""Parse a podcast feed with feedparser and podcastparser; print one JSON object.

Usage: .venv/bin/python tests/feedcheck.py FEED.xml

The Rust tests assert on this JSON, so it is always printed (exit 0) even when a
parser fails: a failure shows up as {"error": "..."} under that parser's key.

Notes: feedparser's itunes_explicit is True only for "yes", False only for "clean",
None otherwise (also for Apple's current "true"/"false"). podcastparser sorts
episodes newest first (oldest first for <itunes:type>serial</itunes:type>) and
calls <itunes:new-feed-url> "new_url"; feedparser keeps document order.
"""
import json
import sys


def check_feedparser(path):
    try:
        import feedparser

        # Bytes, not the path: given a path it can't open, feedparser parses the string itself.
        with open(path, "rb") as f:
            d = feedparser.parse(f.read())
        feed = d.get("feed", {})
        image = feed.get("image")
        out = {
            "bozo": 1 if d.get("bozo") else 0,
            "bozo_exception": str(d["bozo_exception"]) if d.get("bozo_exception") else None,
            "title": feed.get("title"),
            "link": feed.get("link"),
            "language": feed.get("language"),
            "author": feed.get("author"),
            "image": image.get("href") if isinstance(image, dict) else image,
        }
        if "podcast_guid" in feed:
            out["podcast_guid"] = feed.get("podcast_guid")
        # itunes:owner, as feedparser calls it; its name may also land in "author" and
        # "authors" (kurtmckee/feedparser#316).
        if "publisher_detail" in feed:
            owner = feed["publisher_detail"]
            out["publisher_detail"] = {"name": owner.get("name"), "email": owner.get("email")}
        if "authors" in feed:
            out["authors"] = [a.get("name") for a in feed["authors"]]
        if "subtitle" in feed:
            out["subtitle"] = feed.get("subtitle")
        if "rights" in feed:
            out["rights"] = feed.get("rights")
        if "tags" in feed:
            out["tags"] = [t.get("term") for t in feed["tags"]]
        entries = []
        for e in d.get("entries", []):
            content = e.get("content") or []
            entries.append({
                "title": e.get("title"),
                "id": e.get("id"),
                "published": e.get("published"),
                "summary": e.get("summary"),
                "content": content[0].get("value") if content else None,
                "enclosures": [
                    {"href": enc.get("href"), "length": enc.get("length"), "type": enc.get("type")}
                    for enc in e.get("enclosures", [])
                ],
                "itunes_duration": e.get("itunes_duration"),
                "itunes_episode": e.get("itunes_episode"),
                "itunes_season": e.get("itunes_season"),
                "itunes_episodetype": e.get("itunes_episodetype"),
                "itunes_explicit": e.get("itunes_explicit"),
            })
            if isinstance(e.get("image"), dict):
                entries[-1]["image"] = e["image"].get("href")
        out["entries"] = entries
        return out
    except Exception as exc:  # noqa: BLE001 - reported in the JSON
        return {"error": "%s: %s" % (type(exc).__name__, exc)}


def check_podcastparser(path):
    try:
        import podcastparser

        with open(path, "rb") as stream:
            p = podcastparser.parse(path, stream)
        out = {
            "title": p.get("title"),
            "link": p.get("link"),
            "description": p.get("description"),
            "cover_url": p.get("cover_url"),
        }
        # Given only when podcastparser found them. It knows the podcast: namespace only by
        # its GitHub URL (podcastparser 0.6), so podcast: elements under the canonical
        # https://podcastindex.org/namespace/1.0 (funding, locked, ...) are not read.
        for key in ("language", "generator", "itunes_author", "itunes_owner", "itunes_categories",
                    "explicit", "type", "funding_url", "import_prohibited"):
            if key in p:
                out[key] = p[key]
        # podcastparser calls <itunes:new-feed-url> "new_url"; both names are given.
        if p.get("new_url") or p.get("new_location"):
            out["new_location"] = p.get("new_location") or p.get("new_url")
            out["new_url"] = out["new_location"]
        episodes = []
        for ep in p.get("episodes", []):
            item = {
                "title": ep.get("title"),
                "guid": ep.get("guid"),
                "description": ep.get("description"),
                "published": ep.get("published"),
                "total_time": ep.get("total_time"),
            }
            if "description_html" in ep:
                item["description_html"] = ep["description_html"]
            for key in ("number", "season", "type", "explicit", "episode_art_url",
                        "transcript_url", "chapters_json_url", "persons"):
                if key in ep:
                    item[key] = ep[key]
            item["enclosures"] = [
                {"url": enc.get("url"), "file_size": enc.get("file_size"), "mime_type": enc.get("mime_type")}
                for enc in ep.get("enclosures", [])
            ]
            episodes.append(item)
        out["episodes"] = episodes
        return out
    except Exception as exc:  # noqa: BLE001 - reported in the JSON
        return {"error": "%s: %s" % (type(exc).__name__, exc)}


def main(argv):
    if len(argv) != 2:
        print("usage: feedcheck.py FEED.xml", file=sys.stderr)
        return 2
    path = argv[1]
    result = {
        "feedparser": check_feedparser(path),
        "podcastparser": check_podcastparser(path),
    }
    json.dump(result, sys.stdout, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
