"""Every public page type, in both languages, at 375 and 1280 px, light and dark:
no axe-core violation of any impact, no sideways scrolling on a phone, no Chinese
text marked as another language, no console error (a refused inline script shows
there), no request to another site."""

import pprint

import pytest

from tests.browser.conftest import (
    VARIANTS,
    axe_violations,
    chinese_outside_chinese,
    inline_scripts,
    overflow,
)

STATUS = {"not-found": 404}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_public_pages(open_page, site, axe_source, language):
    problems = {}
    checked = 0
    for width, scheme in (variant.values[0] for variant in VARIANTS):
        page = open_page(width=width, scheme=scheme)
        for name, path in site.page_types(language).items():
            page.visit(path, status=STATUS.get(name, 200))
            found = axe_violations(page, axe_source)
            print(f"axe {language} {name} {width} {scheme}: {len(found)} violations")
            if width < 400 and (wide := overflow(page)):
                found.append(f"overflows the viewport: {', '.join(wide)}")
            if width < 400 and scheme == "light" and (unmarked := chinese_outside_chinese(page)):
                found.append(f"Chinese marked as another language: {unmarked}")
            if scripts := inline_scripts(page):
                found.append(f"inline script: {scripts}")
            if found:
                problems[f"{name} {width} {scheme}"] = found
            checked += 1
        assert page.errors == []
        assert page.foreign == []
        page.context.close()
    assert checked == 4 * len(site.page_types(language))
    assert not problems, pprint.pformat(problems, width=120)
