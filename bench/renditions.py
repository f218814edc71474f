"""Time and memory of making a figure's renditions, for a photograph and a chart.

    python bench/renditions.py 6000 5000

Prints, for a noisy JPEG photograph and a flat PNG drawing of the given size, the
seconds ``notes.images`` takes to check the upload and make its renditions, and
their sizes. Run it under ``/usr/bin/time -v`` for the peak memory (one upload at a
time: the process holds nothing else).
"""

import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django

django.setup()

from PIL import Image, ImageDraw  # noqa: E402

from notes import images  # noqa: E402


def photograph(width, height):
    noise = Image.effect_noise((width // 8, height // 8), 60).resize((width, height))
    out = io.BytesIO()
    noise.convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def drawing(width, height):
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for i in range(40):
        x = width * i // 40
        draw.rectangle([x, height // 3, x + width // 60, height - 10], fill=(155, 28, 28))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def main(width, height):
    kind = sys.argv[3] if len(sys.argv) > 3 else "both"
    for name, make in (("photograph (JPEG)", photograph), ("drawing (PNG)", drawing)):
        if kind != "both" and not name.startswith(kind):
            continue
        data = make(width, height)
        start = time.perf_counter()
        _ext, renditions = images.make_renditions(images.open_checked(io.BytesIO(data)))
        took = time.perf_counter() - start
        sizes = ", ".join(
            f"{r.name.split('-')[0]}.{r.name.rsplit('.', 1)[1]} {r.size / 1024:.0f} KB"
            for r in renditions
        )
        print(f"{name} {width}×{height}, {len(data) / 1e6:.1f} MB: {took:.2f} s; {sizes}")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
