"""The three roles, as groups with permissions.

Only superusers change what a group may do; administrators put people in
and out of these three groups.

The data migrations call :func:`sync_roles` so that a fresh database has the
groups; a later change to a role is a new migration calling it again.
"""

AUTHORS = "Authors"
EDITORS = "Editors"
ADMINISTRATORS = "Administrators"

_CRUD = ("add", "change", "delete", "view")


def _all(app_label, *models):
    return [f"{app_label}.{action}_{model}" for model in models for action in _CRUD]


ROLES = {
    # Authors write notes (with their sections, figures and byline) but never publish.
    AUTHORS: [
        "notes.add_note",
        "notes.change_note",
        "notes.view_note",
        *_all("notes", "section", "figure", "authorship"),
        "notes.add_author",
        "notes.change_author",
        "notes.view_author",
        "notes.view_series",
        "notes.view_notetype",
        "notes.view_topic",
    ],
    EDITORS: [
        *_all(
            "notes",
            *("note", "section", "figure", "authorship", "author", "series", "notetype", "topic"),
        ),
        "notes.publish_note",
    ],
    # Administrators manage accounts and give them roles, but only see the roles:
    # changing a group's permissions would let them raise themselves.
    ADMINISTRATORS: [
        *_all("accounts", "user"),
        "auth.view_group",
        "auth.view_permission",
    ],
}


def sync_roles(apps, schema_editor=None):
    """Create the groups and give each exactly the permissions listed in ``ROLES``."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = []
        for code in codes:
            app_label, codename = code.split(".")
            perms.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(perms)
