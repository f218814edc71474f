"""The QR code of a note's address: drawn on the server, on the page and in print."""

import re

import pytest

from notes.qr import qr_svg
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


def test_the_page_shows_a_qr_code_of_its_canonical_address(client, settings):
    settings.SITE_URL = "https://notes.example.org"
    note = NoteFactory(slug="talks")
    canonical = f"https://notes.example.org/notes/{note.pk}/talks/"
    html = client.get(f"{note.get_absolute_url()}?utm_source=wechat").content.decode()
    figure = re.search(r'<figure class="share-qr" id="share">(.*?)</figure>', html, re.S)[1]
    # The code of the canonical address, not of the address the page was asked with.
    assert qr_svg(canonical) in figure
    assert qr_svg(f"{canonical}?utm_source=wechat") not in figure
    assert "微信扫一扫" in figure


def test_the_qr_code_is_inline_svg_with_no_third_party_request(client):
    note = NoteFactory()
    html = client.get(note.get_absolute_url()).content.decode()
    svg = re.search(r"<svg[^>]*class=\"qr-code\".*?</svg>", html, re.S)[0]
    assert "<script" not in svg and "href" not in svg
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert [url for url in external if "testserver" not in url and "localhost" not in url] == []


def test_the_qr_code_is_black_on_white_and_scales(settings):
    svg = qr_svg("https://notes.example.org/notes/1/talks/")
    assert svg.startswith('<svg viewBox="0 0 ')
    assert 'stroke="#000"' in svg and 'fill="#fff"' in svg
    assert "width=" not in svg.split(">", 1)[0]  # sized by CSS, on screen and in print


def test_print_keeps_the_qr_code():
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static/css/print.css").read_text()
    hidden = css.split("{ display: none !important; }")[0]
    assert ".share-qr" not in hidden and ".take-away" not in hidden
    assert ".share-qr svg { width: 2.6cm; height: 2.6cm; }" in css


def test_a_code_is_encoded_once_and_then_read_from_the_cache(monkeypatch):
    url = "https://notes.example.org/notes/7/cached/"
    first = qr_svg(url)
    encoded = []
    monkeypatch.setattr("segno.make", lambda *args, **kwargs: encoded.append(args))
    assert qr_svg(url) == first
    assert encoded == []
