"""Figures: uploads checked and made into renditions, served by publication state,
placed and numbered in the text, and carried to the page's metadata and feeds."""

import io
import json
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from notes import images
from notes.models import Figure, Note, private_storage
from tests.factories import NoteFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def png_bytes(size=(1200, 600), colour=(40, 90, 160)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps():
    image = Image.new("RGB", (800, 500), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Example Camera Maker"  # Make
    gps = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def bomb_png(width=50_000, height=50_000):
    """A valid PNG header claiming ``width`` × ``height`` pixels, with almost no data."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def make_figure(note, *, position=1, data=None, name="chart.png", **fields):
    figure = Figure(
        note=note,
        position=position,
        caption=fields.pop("caption", f"图题{position}"),
        alt=fields.pop("alt", f"替代文字{position}"),
        **fields,
    )
    figure.image = ContentFile(data or png_bytes(), name=name)
    figure.save()
    return figure


# Uploads.


def test_renditions_in_webp_and_the_uploads_kind_at_each_width():
    figure = make_figure(NoteFactory(), data=png_bytes((1200, 600)))
    widths = sorted({(r["width"], r["name"].rsplit(".", 1)[1]) for r in figure.renditions})
    assert widths == [(w, ext) for w in (480, 960, 1200) for ext in ("png", "webp")]
    assert (figure.width, figure.height) == (1200, 600)
    storage = private_storage()
    for rendition in figure.renditions:
        with storage.open(figure.rendition_path(rendition["name"])) as handle:
            assert Image.open(handle).size == (rendition["width"], rendition["height"])


def test_gps_and_other_exif_are_stripped():
    figure = make_figure(NoteFactory(), data=jpeg_with_gps(), name="photo.jpg")
    assert {r["name"].rsplit(".", 1)[1] for r in figure.renditions} == {"jpg", "webp"}
    for rendition in figure.renditions:
        with private_storage().open(figure.rendition_path(rendition["name"])) as handle:
            data = handle.read()
        assert not Image.open(io.BytesIO(data)).getexif()
        assert b"Example Camera Maker" not in data


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"<!doctype html><html><script>alert(1)</script></html>", "chart.png", "not_image"),
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
            b"<script>alert(1)</script></svg>",
            "chart.svg",
            "svg",
        ),
        (b'<svg onload="alert(1)"></svg>', "chart.png", "svg"),
        (bomb_png(), "bomb.png", "too_many_pixels"),
        (bomb_png(8000, 5000), "forty-megapixels.png", "too_many_pixels"),
        (b"GIF89a" + b"\x00" * 20, "broken.gif", "not_image"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(data, name, code):
    with pytest.raises(ValidationError) as caught:
        images.open_checked(SimpleUploadedFile(name, data))
    assert caught.value.code == code


def test_a_real_forty_megapixel_png_is_refused_before_decoding():
    data = io.BytesIO()
    Image.new("L", (8000, 5000)).save(data, "PNG")
    with pytest.raises(ValidationError) as caught:
        images.open_checked(SimpleUploadedFile("big.png", data.getvalue()))
    assert caught.value.code == "too_many_pixels"
    assert "8000 × 5000" in str(caught.value.messages[0])


def test_too_large_a_file_is_refused():
    upload = SimpleUploadedFile("big.png", b"\0" * (images.MAX_BYTES + 1))
    with pytest.raises(ValidationError) as caught:
        images.open_checked(upload)
    assert caught.value.code == "too_large"


# Serving: a published note's figures are public, a draft's are not.


def figure_url(figure, ext="webp"):
    name = next(r["name"] for r in figure.renditions if r["name"].endswith(ext))
    return figure.file_url(name)


def test_a_published_notes_figure_is_public_and_cached(client):
    figure = make_figure(NoteFactory())
    response = client.get(figure_url(figure))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:4] == b"RIFF"


@pytest.mark.parametrize(
    "status", [Note.Status.DRAFT, Note.Status.REVIEW, Note.Status.WITHDRAWN, "scheduled"]
)
def test_an_unpublished_notes_figure_is_404_to_the_public(client, status):
    if status == "scheduled":
        from django.utils import timezone

        note = NoteFactory(published_at=timezone.now() + timezone.timedelta(days=2))
    else:
        note = NoteFactory(status=status, published_at=None)
    figure = make_figure(note)
    assert client.get(figure_url(figure)).status_code == 404
    assert client.get(figure_url(figure, "png")).status_code == 404


def test_a_drafts_figure_is_shown_to_who_may_see_the_draft_and_never_cached(client, editor):
    figure = make_figure(NoteFactory(status=Note.Status.DRAFT, published_at=None))
    client.force_login(editor)
    response = client.get(figure_url(figure))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    other = UserFactory(username="someone", is_staff=True)
    client.force_login(other)
    assert client.get(figure_url(figure)).status_code == 404


def test_unknown_file_names_and_figures_are_404(client):
    figure = make_figure(NoteFactory())
    assert client.get(figure.file_url("w480-0000000000.webp")).status_code == 404
    assert client.get(f"/figures/{figure.pk}/..%2F..%2Fsecret.txt").status_code == 404
    assert client.get(reverse("figure-file", args=[figure.pk + 99, "x.png"])).status_code == 404


def test_deleting_a_figure_deletes_its_files(django_capture_on_commit_callbacks):
    figure = make_figure(NoteFactory())
    paths = [figure.rendition_path(r["name"]) for r in figure.renditions]
    storage = private_storage()
    with django_capture_on_commit_callbacks(execute=True):
        figure.delete()
    assert not any(storage.exists(path) for path in paths)


# On the page.


def note_page(client, note):
    response = client.get(note.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_figures_are_placed_numbered_and_given_every_width(client):
    note = NoteFactory()
    SectionFactory(note=note, position=1, heading="", body="如[[图2]]所示。\n\n[[图1]]")
    SectionFactory(note=note, position=2, heading="一、续", body="[[图2]]")
    first = make_figure(note, position=1, caption="出口增速", source="海关统计", credit="某某绘")
    make_figure(note, position=2, caption="进口增速")
    html = note_page(client, note)
    assert '<a class="xref" href="#figure-2">图2</a>' in html
    figure_1 = re.search(r'<figure class="note-figure" id="figure-1">.*?</figure>', html).group()
    assert '<span class="figure-label">图1</span> 出口增速' in figure_1
    assert "来源：海关统计" in figure_1 and "某某绘" in figure_1
    assert 'width="1200" height="600"' in figure_1 and 'loading="lazy"' in figure_1
    assert 'type="image/webp"' in figure_1 and "480w" in figure_1 and "960w" in figure_1
    assert f'alt="{first.alt}"' in figure_1
    assert html.index('id="figure-1"') < html.index('id="figure-2"')


def test_english_notes_say_figure_and_table():
    from notes.body import assemble

    note = NoteFactory(language="en")
    section = SectionFactory(
        note=note, body="See [[Figure 1]] and [[Table 1]].\n\n[[Figure 1]]\n\n| a |\n|---|\n| 1 |"
    )
    body = assemble([section], [make_figure(note)], language="en")
    html = body.sections[0][1]
    assert ">Figure 1</a>" in html and ">Table 1</a>" in html
    assert '<span class="figure-label">Figure 1</span>' in html
    assert '<span class="figure-label">Table 1</span>' in html


def test_a_deleted_figure_placed_twice_and_figures_placed_nowhere(client):
    note = NoteFactory()
    SectionFactory(note=note, body="[[图1]]\n\n正文。\n\n[[图1]]\n\n[[图3]]")
    make_figure(note, position=1)
    make_figure(note, position=2, caption="没有放进正文的图")
    html = note_page(client, note)
    assert html.count('id="figure-1"') == 1  # the second place refers to the first
    assert '<p><a class="xref" href="#figure-1">图1</a></p>' in html
    assert '<p class="figure-missing">[图3]</p>' in html
    assert "没有放进正文的图" in html and 'id="figure-2"' in html


def test_two_figures_with_the_same_position_get_different_numbers(client):
    note = NoteFactory()
    SectionFactory(note=note, body="[[图1]]\n\n[[图2]]")
    make_figure(note, position=1, caption="先上传的")
    make_figure(note, position=1, caption="后上传的")
    html = note_page(client, note)
    assert re.search(r'id="figure-1">.*?先上传的', html)
    assert re.search(r'id="figure-2">.*?后上传的', html)


def test_a_drafts_figures_show_in_the_preview_only(client, editor):
    note = NoteFactory(status=Note.Status.DRAFT, published_at=None)
    SectionFactory(note=note, body="[[图1]]")
    make_figure(note, caption="草稿里的图")
    assert client.get(f"/notes/{note.pk}/{note.slug}/").status_code == 404
    client.force_login(editor)
    preview = client.get(reverse("admin:notes_note_preview", args=[note.pk]))
    assert "草稿里的图" in preview.content.decode()
    assert "no-store" in preview["Cache-Control"]


def test_opengraph_json_ld_and_feeds_point_to_the_first_figure(client):
    note = NoteFactory()
    SectionFactory(note=note, body="正文。")
    first = make_figure(note, position=1, alt="第一张图的描述")
    make_figure(note, position=2)
    html = note_page(client, note)
    url = f"http://localhost:8000/figures/{first.pk}/"
    assert re.search(rf'<meta property="og:image" content="{url}w1200-\w+\.png">', html)
    assert '<meta property="og:image:alt" content="第一张图的描述">' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert len(data["image"]) == 2 and data["image"][0].startswith(url)
    for feed in ("/feed/", "/feed/rss/"):
        content = client.get(feed).content.decode()
        assert re.search(rf'{url}w1200-\w+\.png"[^>]*image/png|image/png[^>]*{url}', content)


def test_a_note_without_figures_has_no_og_image(client):
    note = NoteFactory()
    SectionFactory(note=note, body="正文。")
    assert "og:image" not in note_page(client, note)


# In the admin.


def figure_form_data(note, upload, **fields):
    from tests.notes.test_admin import _change_form_data

    data = _change_form_data(note, list(note.sections.all()))
    data.update(
        {
            "figures-TOTAL_FORMS": "1",
            "figures-0-note": note.pk,
            "figures-0-image": upload,
            "figures-0-caption": "出口增速",
            "figures-0-alt": "折线图",
            "figures-0-position": "1",
        }
    )
    data.update(fields)
    return data


def test_an_editor_uploads_a_figure_in_the_admin(client, superuser):
    note = NoteFactory()
    SectionFactory(note=note, position=1, body="[[图1]]")
    client.force_login(superuser)
    upload = SimpleUploadedFile("chart.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("admin:notes_note_change", args=[note.pk]), figure_form_data(note, upload)
    )
    assert response.status_code == 302
    figure = note.figures.get()
    assert figure.caption == "出口增速" and figure.renditions
    page = client.get(reverse("admin:notes_note_change", args=[note.pk])).content.decode()
    assert 'class="figure-thumb"' in page and "<code>[[图1]]</code>" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body>not a picture</body></html>", "这不是可以识别的图片"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
        (bomb_png(), "像素过多"),
    ],
)
def test_a_refused_upload_is_a_form_error_and_nothing_is_saved(client, superuser, data, message):
    note = NoteFactory()
    client.force_login(superuser)
    upload = SimpleUploadedFile("chart.png", data, content_type="image/png")
    response = client.post(
        reverse("admin:notes_note_change", args=[note.pk]),
        figure_form_data(note, upload, title="改过的标题"),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not note.figures.exists()
    note.refresh_from_db()
    assert note.title != "改过的标题"


def test_alt_text_and_caption_are_required(client, superuser):
    note = NoteFactory()
    client.force_login(superuser)
    upload = SimpleUploadedFile("chart.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("admin:notes_note_change", args=[note.pk]),
        figure_form_data(note, upload, **{"figures-0-alt": "", "figures-0-caption": ""}),
    )
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][2].formset.errors[0]
    assert set(errors) == {"alt", "caption"}
    assert not note.figures.exists()


@pytest.mark.parametrize("role", ["editor", "author_user"])
def test_editors_and_authors_upload_figures_to_notes_they_edit(client, request, role):
    from tests.factories import AuthorFactory, AuthorshipFactory

    user = request.getfixturevalue(role)
    note = NoteFactory(status=Note.Status.DRAFT, published_at=None, created_by=user)
    AuthorshipFactory(note=note, author=AuthorFactory(user=user))
    client.force_login(user)
    page = client.get(reverse("admin:notes_note_change", args=[note.pk])).content.decode()
    assert 'id="figures-group"' in page
    upload = SimpleUploadedFile("chart.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("admin:notes_note_change", args=[note.pk]), figure_form_data(note, upload)
    )
    assert response.status_code == 302
    assert note.figures.count() == 1


def test_changing_a_caption_keeps_the_picture(client, superuser):
    from tests.workflow.formdata import note_form_data

    note = NoteFactory()
    figure = make_figure(note, caption="旧图题")
    image, renditions = figure.image.name, figure.renditions
    client.force_login(superuser)
    data = note_form_data(note, **{"figures-0-caption": "新图题"})
    response = client.post(reverse("admin:notes_note_change", args=[note.pk]), data)
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.caption == "新图题"
    assert (figure.image.name, figure.renditions) == (image, renditions)


def test_a_photograph_turned_by_its_exif_is_stored_upright_at_most_1600_wide():
    image = Image.new("RGB", (3200, 2000), (10, 120, 60))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turned 90° clockwise to be upright
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    figure = make_figure(NoteFactory(), data=out.getvalue(), name="photo.jpg")
    widths = sorted({r["width"] for r in figure.renditions})
    assert widths == [480, 960, 1600]  # upright: 2000 wide
    assert len(figure.renditions) == len({r["name"] for r in figure.renditions}) == 6
    assert figure.height > figure.width
