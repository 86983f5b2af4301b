#!/usr/bin/env python3
"""Writes the big real-world-shaped inputs field14 timed `alike index` on,
from the BBC sample (data/bbc-sample/articles.jsonl), into OUT_DIR:

- feed.xml: an RSS feed of 10,000 items (content:encoded in CDATA), 24 MB;
- export.xml: a WordPress export (WXR 1.2) of 16,000 published posts with
  three approved comments each, 58 MB;
- site/: 20 HTML pages of 1.4 MB each (a 800 KB base64 <img>, a 200 KB base64
  CSS background, an inline SVG of 8,000 paths around the story).

Each item's text gets a line of its own ("Item number N") so that copies of a
sample article are not all identical.

    python3 bench/big-inputs.py OUT_DIR
    /usr/bin/time -v alike index OUT_DIR/feed.xml --out OUT_DIR/rss/index.json --no-widget
"""
import base64
import html
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = sys.argv[1]
os.makedirs(os.path.join(out, "site"), exist_ok=True)
arts = [json.loads(line) for line in open(os.path.join(ROOT, "data/bbc-sample/articles.jsonl"))]


def paragraphs(a):
    return "".join(f"<p>{html.escape(p)}</p>" for p in a["body"].split("\n\n"))


with open(os.path.join(out, "feed.xml"), "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            "<channel><title>Big</title><link>https://big.example/</link>\n")
    for i in range(10000):
        a = arts[i % len(arts)]
        body = paragraphs(a) + f"<p>Item number {i} in series {i // 333}.</p>"
        f.write(f'<item><title>{html.escape(a["title"])} ({i})</title><link>https://big.example/{i}/</link>'
                f'<pubDate>Tue, 01 Mar 2005 10:00:00 GMT</pubDate><category>{a.get("section", "x")}</category>'
                f"<content:encoded><![CDATA[{body}]]></content:encoded></item>\n")
    f.write("</channel></rss>\n")

with open(os.path.join(out, "export.xml"), "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
            "<channel><title>Big</title><link>https://big.example</link><language>en-GB</language><wp:wxr_version>1.2</wp:wxr_version>"
            "<wp:base_site_url>https://big.example</wp:base_site_url><wp:base_blog_url>https://big.example</wp:base_blog_url>\n")
    for i in range(16000):
        a = arts[i % len(arts)]
        comments = "".join(
            f"<wp:comment><wp:comment_id>{i * 10 + c}</wp:comment_id><wp:comment_author><![CDATA[Reader {c}]]></wp:comment_author>"
            f'<wp:comment_content><![CDATA[I think this is a fine article about {a["title"]}, thanks.]]></wp:comment_content>'
            "<wp:comment_approved><![CDATA[1]]></wp:comment_approved></wp:comment>"
            for c in range(3))
        section = a.get("section", "x")
        f.write(f'<item><title>{html.escape(a["title"])} {i}</title><link>https://big.example/{i}/</link>'
                "<pubDate>Sat, 15 May 2004 09:15:00 GMT</pubDate><dc:creator><![CDATA[editor]]></dc:creator>"
                f'<guid isPermaLink="false">https://big.example/?p={i}</guid><description></description>'
                f'<content:encoded><![CDATA[{a["body"]}\n\nSeries {i}.]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>'
                f"<wp:post_id>{i}</wp:post_id><wp:post_date><![CDATA[2004-05-15 10:15:00]]></wp:post_date>"
                "<wp:post_date_gmt><![CDATA[2004-05-15 09:15:00]]></wp:post_date_gmt><wp:status><![CDATA[publish]]></wp:status>"
                f'<wp:post_type><![CDATA[post]]></wp:post_type><category domain="category" nicename="{section}"><![CDATA[{section}]]></category>'
                f"{comments}</item>\n")
    f.write("</channel></rss>\n")

image = base64.b64encode(os.urandom(600_000)).decode()
svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
       + "".join(f'<path d="M{i} {i} L{i + 1} {i + 2} Z" fill="#{i % 999:03d}"/>' for i in range(8000))
       + '<text x="1" y="1">chart label</text></svg>')
for i, a in enumerate(arts[:20]):
    title = html.escape(a["title"])
    page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>.x{{background:url(data:image/png;base64,{image[:200000]})}}</style></head><body><article><h1>{title}</h1>"
            f'<img src="data:image/jpeg;base64,{image}" alt="photo">{svg}{paragraphs(a)}</article></body></html>')
    with open(os.path.join(out, "site", f"{i}.html"), "w") as f:
        f.write(page)
