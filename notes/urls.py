from django.urls import path, register_converter

from notes import feeds, views, views_downloads, views_original
from notes.caching import public_page
from notes.converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

app_name = "notes"

urlpatterns = [
    path("", public_page(views.home), name="home"),
    path("notes/", public_page(views.note_list), name="list"),
    path("notes/<int:pk>/", public_page(views.note_detail), name="detail-noslug"),
    *(
        path(
            f"notes/<int:pk>/cite.{extension}",
            public_page(views_downloads.citation_file),
            {"extension": extension},
            name=f"cite-{extension}",
        )
        for extension in ("bib", "ris", "json")
    ),
    path("notes/<int:pk>/note.pdf", public_page(views_downloads.note_pdf), name="pdf"),
    path("notes/<int:pk>/<str:slug>/", public_page(views.note_detail), name="detail"),
    path("notes/<int:pk>/<str:slug>/original/", views_original.note_original, name="original"),
    path(
        "notes/<int:pk>/<str:slug>/v/<int:number>/",
        public_page(views.note_version),
        name="version",
    ),
    path("topics/", public_page(views.topic_list), name="topics"),
    path("topics/<uslug:slug>/", public_page(views.topic_detail), name="topic"),
    path("topics/<uslug:slug>/feed/", public_page(feeds.TopicFeed()), name="topic-feed"),
    path("authors/", public_page(views.author_list), name="authors"),
    path("authors/<uslug:slug>/", public_page(views.author_detail), name="author"),
    path("authors/<uslug:slug>/feed/", public_page(feeds.AuthorFeed()), name="author-feed"),
    path("series/", public_page(views.series_list), name="series-index"),
    path("series/<uslug:slug>/", public_page(views.series_detail), name="series"),
    path("series/<uslug:slug>/feed/", public_page(feeds.SeriesFeed()), name="series-feed"),
    path("archive/", public_page(views.archive_index), name="archive"),
    path(
        "archive/<int:year>/",
        public_page(views.NoteYearArchiveView.as_view()),
        name="archive-year",
    ),
    path(
        "archive/<int:year>/<int:month>/",
        public_page(views.NoteMonthArchiveView.as_view()),
        name="archive-month",
    ),
    path("feed/", public_page(feeds.LatestNotesFeed()), name="feed-atom"),
    path("feed/rss/", public_page(feeds.LatestNotesRssFeed()), name="feed-rss"),
]
