#!/usr/bin/env python3
"""Validate a built site's Atom feed (RELAX NG) and sitemap (XML Schema), plus the Atom rules a
schema cannot express (RFC 4287 4.1.1: a feed without a feed-level author needs one per entry;
ids unique; a self link). Usage: validate_xml.py OUTPUT_DIR"""
import sys
from pathlib import Path

from lxml import etree

here = Path(__file__).resolve().parent.parent / "tests" / "schemas"
out = Path(sys.argv[1])
ATOM = "{http://www.w3.org/2005/Atom}"
problems = []

feed = etree.parse(str(out / "feed.xml"))
rng = etree.RelaxNG(etree.parse(str(here / "atom.rng")))
if not rng.validate(feed):
    problems += [f"feed.xml: {e}" for e in rng.error_log]
root = feed.getroot()
entries = root.findall(f"{ATOM}entry")
if root.find(f"{ATOM}author") is None and any(e.find(f"{ATOM}author") is None for e in entries):
    problems.append("feed.xml: entries without an author need a feed-level author")
ids = [e.findtext(f"{ATOM}id") for e in entries]
if len(ids) != len(set(ids)):
    problems.append("feed.xml: entry ids are not unique")
if not any(l.get("rel") == "self" for l in root.findall(f"{ATOM}link")):
    problems.append("feed.xml: no rel=self link")

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
xsd = etree.XMLSchema(etree.parse(str(here / "sitemap.xsd")))
sitemap = etree.parse(str(out / "sitemap.xml"))
urls = 0
if sitemap.getroot().tag == f"{SM}sitemapindex":
    # Past 50,000 URLs: an index whose every sitemap must validate on its own.
    index_xsd = etree.XMLSchema(etree.parse(str(here / "siteindex.xsd")))
    if not index_xsd.validate(sitemap):
        problems += [f"sitemap.xml (index): {e}" for e in index_xsd.error_log]
    for loc in sitemap.getroot().iter(f"{SM}loc"):
        rel = loc.text.split("/sitemaps/", 1)[-1]
        part_path = out / "sitemaps" / rel
        part = etree.parse(str(part_path))
        if not xsd.validate(part):
            problems += [f"sitemaps/{rel}: {e}" for e in xsd.error_log]
        urls += len(part.getroot())
else:
    if not xsd.validate(sitemap):
        problems += [f"sitemap.xml: {e}" for e in xsd.error_log]
    urls = len(sitemap.getroot())

for p in problems:
    print(p)
if problems:
    sys.exit(1)
print(f"feed.xml: valid Atom 1.0 ({len(entries)} entries); sitemap.xml: valid ({urls} urls)")
