from django.urls import path, register_converter

from notes import views
from notes.converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

app_name = "notes"

urlpatterns = [
    path("", views.home, name="home"),
    path("notes/<int:pk>/", views.note_detail, name="detail-noslug"),
    path("notes/<int:pk>/<str:slug>/", views.note_detail, name="detail"),
    path("topics/<uslug:slug>/", views.topic_detail, name="topic"),
    path("authors/<uslug:slug>/", views.author_detail, name="author"),
    path("series/<uslug:slug>/", views.series_detail, name="series"),
    path("healthz", views.healthz, name="healthz"),
]
