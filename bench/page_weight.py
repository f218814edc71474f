"""What a note page weighs on a phone: the first screen, and the whole page scrolled.

Loads ``URL`` in Debian's Chromium (Playwright) as a phone (375 × 812 CSS pixels,
device pixel ratio 2) and adds up the bytes that came over the wire (bodies as
sent, compressed where the server compressed them, plus headers): first what the
page needs before anyone scrolls (lazy pictures below the fold are not fetched),
then everything after scrolling to its end. Run it against a server started the
way production runs (``make serve``), so static files come compressed:

    python bench/page_weight.py http://127.0.0.1:8000/notes/16/
"""

import sys
from collections import defaultdict

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"


def weigh(page, responses):
    totals = defaultdict(int)
    for response in responses:
        sizes = response.request.sizes()
        kind = response.request.resource_type
        totals[kind] += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return dict(totals), sum(totals.values())


def main(url, width=375, height=812, scale=2):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=scale
        )
        page = context.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="load")
        page.wait_for_timeout(500)
        first = list(responses)
        page.evaluate(
            """async () => { for (let y = 0; y < document.body.scrollHeight; y += 400) {
                 window.scrollTo(0, y); await new Promise(r => setTimeout(r, 50)); } }"""
        )
        page.wait_for_load_state("networkidle")
        for label, batch in (("first screen", first), ("whole page", responses)):
            kinds, total = weigh(page, batch)
            detail = ", ".join(f"{kind} {size / 1024:.1f}" for kind, size in sorted(kinds.items()))
            print(f"{label}: {total / 1024:.1f} KB in {len(batch)} responses ({detail})")
        for response in responses:
            if response.request.resource_type == "image":
                size = response.request.sizes()["responseBodySize"]
                print(f"  image {response.url.rsplit('/', 2)[-2:]} {size / 1024:.1f} KB")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1])
