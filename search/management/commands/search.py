import json

from django.core.management.base import BaseCommand

from search.query import parse
from search.service import search


class Command(BaseCommand):
    help = "像读者一样搜索已发布的文章，以 JSON 打印每个查询的结果数和第一页文章的编号。"

    def add_arguments(self, parser):
        parser.add_argument("queries", nargs="+", metavar="QUERY")

    def handle(self, *args, queries, **options):
        found = {}
        for query in queries:
            results = search(parse(query))
            found[query] = {"total": results.total, "first_page": [h.pk for h in results.hits]}
        self.stdout.write(json.dumps(found, ensure_ascii=False, sort_keys=True))
