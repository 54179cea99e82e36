"""Small inputs for the reader tests, built by hand: an HTML page, a WARC crawl, RSS and Atom feeds."""

from __future__ import annotations

import io

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PARAGRAPH = (
    "The city council voted on Tuesday to approve the new budget, which adds money for schools, "
    "parks and the bus network after two years of cuts, officials said."
)


def html_page(number: int = 1, *, published: str = "2026-02-04T09:30:00+01:00") -> bytes:
    paragraphs = "".join(f"<p>{PARAGRAPH} This is paragraph {k} of story {number}.</p>" for k in range(5))
    return (
        f"<!DOCTYPE html><html><head><title>Budget story {number}</title>"
        '<meta property="og:site_name" content="Daily Example">'
        f'<meta property="article:published_time" content="{published}"></head>'
        f"<body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><article>"
        f"<h1>Budget story {number}</h1>{paragraphs}</article><footer>Copyright Daily Example</footer>"
        "</body></html>"
    ).encode()


def warc_bytes(*, gzip_records: bool, pages: int = 2) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip_records)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))
    for number in range(1, pages + 1):
        html_headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], "HTTP/1.1")
        payload = io.BytesIO(html_page(number))
        uri = f"http://example.com/story-{number}"
        writer.write_record(
            writer.create_warc_record(uri, "response", payload=payload, http_headers=html_headers)
        )
        png_headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], "HTTP/1.1")
        png = io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(200))
        writer.write_record(
            writer.create_warc_record(uri + ".png", "response", payload=png, http_headers=png_headers)
        )
    missing = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], "HTTP/1.1")
    page = io.BytesIO(b"<html><body><p>Not found</p></body></html>")
    writer.write_record(
        writer.create_warc_record("http://example.com/gone", "response", payload=page, http_headers=missing)
    )
    return buffer.getvalue()


RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Example &amp; Co News</title><link>http://example.com/</link>
<item><title>Council approves budget</title><link>http://example.com/budget</link>
  <pubDate>Wed, 04 Feb 2026 22:00:00 -0500</pubDate><dc:creator>Jo Doe</dc:creator>
  <category>Politics</category>
  <description>&lt;p&gt;Short &lt;b&gt;summary&lt;/b&gt;.&lt;/p&gt;</description>
  <content:encoded><![CDATA[<p>The council approved the budget.</p><p>Schools get more.</p>]]>
  </content:encoded>
</item>
<item><title>Summary only</title><description>Only a summary here.</description>
  <pubDate>not a date at all</pubDate></item>
<item><title>Nothing</title></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Times</title><id>urn:x</id>
<updated>2026-02-04T10:00:00Z</updated>
<entry><title>Port reopens</title><link href="http://example.org/port"/><id>urn:1</id>
  <published>2026-02-03T08:15:00+02:00</published><updated>2026-02-04T10:00:00Z</updated>
  <author><name>Ann Lee</name></author><author><name>Bo Park</name></author>
  <content type="html">&lt;p&gt;The port reopened on Monday.&lt;/p&gt;</content></entry>
</feed>"""
