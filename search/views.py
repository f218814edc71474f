from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from notes.listing import NoteFilter
from search import service
from search.query import MAX_QUERY_LENGTH, parse
from throttling.limits import SEARCH, rate_limit


@require_GET
@rate_limit(SEARCH, methods=("GET",))
def search(request):
    query = parse(request.GET.get("q", ""))
    note_filter = NoteFilter.from_request(request)
    sort = "date" if request.GET.get("sort") == "date" else "relevance"
    page = request.GET.get("page", "")
    page = min(int(page), 10_000) if page.isascii() and page.isdigit() else 1
    results = service.search(query, note_filter, sort=sort, page=page, template="search/_hits.html")
    context = {
        "search_query": query.raw,
        "query": query,
        "blank": not query.raw.strip(),
        "max_length": MAX_QUERY_LENGTH,
        "filter": note_filter,
        "results": results,
        "page_obj": Paginator(range(results.total), service.PAGE_SIZE).get_page(results.page),
        "sort": sort,
        "topic_facets": [
            (name, n, note_filter.topic_url(slug), slug in {t.slug for t in note_filter.topics})
            for slug, name, n in results.topics
        ],
    }
    return render(request, "search/search.html", context)
