from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from notes import feeds, views, views_original, views_search
from notes.converters import UnicodeSlugConverter
from notes.sitemaps import SITEMAPS

register_converter(UnicodeSlugConverter, "uslug")

app_name = "notes"

urlpatterns = [
    path("", views.home, name="home"),
    path("notes/", views.note_list, name="list"),
    path("notes/<int:pk>/", views.note_detail, name="detail-noslug"),
    path("notes/<int:pk>/<str:slug>/", views.note_detail, name="detail"),
    path("notes/<int:pk>/<str:slug>/original/", views_original.note_original, name="original"),
    path("topics/", views.topic_list, name="topics"),
    path("topics/<uslug:slug>/", views.topic_detail, name="topic"),
    path("topics/<uslug:slug>/feed/", feeds.TopicFeed(), name="topic-feed"),
    path("authors/", views.author_list, name="authors"),
    path("authors/<uslug:slug>/", views.author_detail, name="author"),
    path("authors/<uslug:slug>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path("series/<uslug:slug>/", views.series_detail, name="series"),
    path("series/<uslug:slug>/feed/", feeds.SeriesFeed(), name="series-feed"),
    path("search/", views_search.search, name="search"),
    path("archive/", views.archive_index, name="archive"),
    path("archive/<int:year>/", views.NoteYearArchiveView.as_view(), name="archive-year"),
    path(
        "archive/<int:year>/<int:month>/",
        views.NoteMonthArchiveView.as_view(),
        name="archive-month",
    ),
    path("feed/", feeds.LatestNotesFeed(), name="feed-atom"),
    path("feed/rss/", feeds.LatestNotesRssFeed(), name="feed-rss"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
]
