from django.urls import path

from notes.caching import public_page
from search import views

app_name = "search"

urlpatterns = [
    path("", public_page(views.search), name="search"),
]
