"""Feeds send plain-text summaries as text: markup typed into a summary is never rendered."""

import html
import xml.etree.ElementTree as ET

import pytest

from tests.factories import AuthorFactory, AuthorshipFactory, NoteFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SUMMARY = "<script>alert(1)</script> R&D 研发\n\n第二段 <b>粗体</b> &amp;"


@pytest.fixture
def note():
    note = NoteFactory(summary=SUMMARY, topics=["贸易"])
    AuthorshipFactory(note=note, author=AuthorFactory(slug="wang"), position=1)
    return note


@pytest.mark.parametrize("url", ["/feed/", "/topics/贸易/feed/", "/authors/wang/feed/"])
def test_atom_summary_is_text(client, note, url):
    response = client.get(url)
    entry = ET.fromstring(response.content).find(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == SUMMARY  # escaped once for XML, read back exactly
    assert b"&amp;lt;" not in response.content


def test_rss_description_is_the_text_escaped_once_as_html(client, note):
    response = client.get("/feed/rss/")
    description = ET.fromstring(response.content).find("channel/item/description").text
    assert description == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; R&amp;D 研发</p>"
        "<p>第二段 &lt;b&gt;粗体&lt;/b&gt; &amp;amp;</p>"
    )
    shown = html.unescape(description.replace("<p>", "").replace("</p>", "\n\n")).strip()
    assert shown == SUMMARY
