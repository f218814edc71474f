"""Charts for the demo note, drawn with Pillow when ``seed_demo`` runs (no files kept).

Labels are numbers and years only: Pillow's built-in font has no Chinese; the
captions say the rest.
"""

import io

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 900
INK, GRID, BAR, LINE = (31, 35, 40), (216, 212, 204), (155, 28, 28), (26, 79, 139)


def _canvas():
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    return image, ImageDraw.Draw(image), ImageFont.load_default(size=34)


def _axes(draw, font, top, labels, box):
    left, upper, right, lower = box
    for i in range(5):
        y = lower - (lower - upper) * i / 4
        draw.line([(left, y), (right, y)], fill=GRID, width=2)
        draw.text((left - 20, y), f"{top * i / 4:g}", fill=INK, font=font, anchor="rm")
    step = (right - left) / len(labels)
    for i, label in enumerate(labels):
        draw.text((left + step * (i + 0.5), lower + 20), label, fill=INK, font=font, anchor="ma")
    return step


def bar_chart(labels, values, top) -> bytes:
    image, draw, font = _canvas()
    box = (170, 60, WIDTH - 60, HEIGHT - 110)
    step = _axes(draw, font, top, labels, box)
    left, upper, _right, lower = box
    for i, value in enumerate(values):
        x = left + step * i + step * 0.2
        y = lower - (lower - upper) * value / top
        draw.rectangle([x, y, x + step * 0.6, lower], fill=BAR)
        draw.text((x + step * 0.3, y - 12), f"{value:g}", fill=INK, font=font, anchor="md")
    return _png(image)


def line_chart(labels, series, top) -> bytes:
    """``series``: lists of values, one line each (solid, then dashed-looking dots)."""
    image, draw, font = _canvas()
    box = (170, 60, WIDTH - 60, HEIGHT - 110)
    step = _axes(draw, font, top, labels, box)
    left, upper, _right, lower = box
    for n, values in enumerate(series):
        colour = LINE if n == 0 else BAR
        points = [
            (left + step * (i + 0.5), lower - (lower - upper) * v / top)
            for i, v in enumerate(values)
        ]
        draw.line(points, fill=colour, width=8 if n == 0 else 5, joint="curve")
        for x, y in points:
            r = 12 if n == 0 else 9
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
    return _png(image)


def _png(image) -> bytes:
    out = io.BytesIO()
    image.convert("P", palette=Image.ADAPTIVE, colors=32).save(out, "PNG", optimize=True)
    return out.getvalue()
