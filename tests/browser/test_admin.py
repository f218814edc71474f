"""The editors' pages in the admin: no axe-core violation on the note list, the change
form (a new note and a published one) and the import page, light and dark, 375 and
1280 px; and the layout faults an editor met there."""

import pprint

from tests.browser.conftest import VARIANTS, axe_violations, inline_scripts
from tests.browser.site import PASSWORD


def sign_in(page, site, username):
    page.visit(site.path("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def admin_pages(site):
    note = site.notes["anchorage"]
    return {
        "note list": site.path("admin:notes_note_changelist"),
        "new note": site.path("admin:notes_note_add"),
        "published note": site.path("admin:notes_note_change", object_id=note.pk),
        "note with figures": site.path(
            "admin:notes_note_change", object_id=site.notes["figures"].pk
        ),
        "import": site.path("admin:notes_note_import"),
    }


def test_admin_pages_have_no_axe_violations(open_page, site, axe_source):
    problems = {}
    for width, scheme in (variant.values[0] for variant in VARIANTS):
        page = open_page(width=width, scheme=scheme)
        sign_in(page, site, site.editor)
        for name, path in admin_pages(site).items():
            page.visit(path)
            found = axe_violations(page, axe_source)
            print(f"axe {name} {width} {scheme}: {len(found)} violations")
            if scripts := inline_scripts(page):
                found.append(f"inline script: {scripts}")
            if found:
                problems[f"{name} {width} {scheme}"] = found
        if page.errors:
            problems[f"console {width} {scheme}"] = page.errors
        page.context.close()
    assert not problems, pprint.pformat(problems, width=120)
