from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from config import views
from notes import sitemaps, views_figures
from notes import views as notes_views
from notes.caching import public_page

admin.site.site_header = admin.site.site_title = _("研究简报 · 编辑后台")
admin.site.index_title = _("内容与账户")

handler500 = views.server_error

# The language is in the URL: Chinese at the root, English under /en/. Nothing else
# (no cookie, no Accept-Language) chooses it, so every page can be cached by its URL.
urlpatterns = i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("notes.urls")),
    path("search/", include("search.urls")),
    prefix_default_language=False,
)

# The same in every language.
urlpatterns += [
    path(
        "sitemap.xml",
        public_page(sitemaps.sitemap_index),
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        public_page(sitemaps.sitemap_section),
        name="sitemap-section",
    ),
    path("robots.txt", public_page(notes_views.robots_txt), name="robots"),
    path("favicon.ico", notes_views.favicon, name="favicon"),
    path("figures/<int:pk>/<str:name>", views_figures.figure_file, name="figure-file"),
    path("healthz", views.healthz, name="healthz"),
]

if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
    # One machine: uploads are served from MEDIA_ROOT (the proxy may serve them first).
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns += [re_path(rf"^{media_prefix}/(?P<path>.+)$", views.media, name="media")]
