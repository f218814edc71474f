import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from notes.models import Note
from search.index import BATCH_SIZE, problems, reindex
from search.models import SearchEntry
from search.text import TOKENIZER_VERSION


class Command(BaseCommand):
    help = (
        "重建全文搜索索引：逐批重写每篇文章的索引条目，索引一直可用，编辑照常保存。"
        "分词方式（TOKENIZER_VERSION）改变后、从备份恢复后运行；"
        "用 --check 只检查：有缺失、过期或多余的条目时退出码为 1。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只检查索引，不重建。")

    def handle(self, *args, check=False, verbosity=1, **options):
        if check:
            found = problems()
            if any(found.values()):
                self.stderr.write(
                    f"索引不完整：{found['missing']} 篇文章没有索引条目，"
                    f"{found['stale']} 个条目已过期（分词版本或文字改变），"
                    f"{found['orphaned']} 个条目的文章已不存在。"
                    "请运行 manage.py rebuild_search_index。"
                )
                raise SystemExit(1)
            return self.stdout.write(f"索引完整，是最新的（分词版本 {TOKENIZER_VERSION}）。")
        started = time.monotonic()
        ids = list(Note.objects.order_by("pk").values_list("pk", flat=True))
        orphans = SearchEntry.objects.exclude(note_id__in=Note.objects.values("pk"))
        ids += orphans.values_list("note_id", flat=True)  # reindexing removes their entries
        with tqdm(total=len(ids), unit="篇", disable=verbosity < 1) as bar:
            for i in range(0, len(ids), BATCH_SIZE):
                reindex(ids[i : i + BATCH_SIZE])  # one transaction each
                bar.update(len(ids[i : i + BATCH_SIZE]))
        self.stdout.write(
            f"已为 {len(ids)} 篇文章重建索引（分词版本 {TOKENIZER_VERSION}），"
            f"用时 {time.monotonic() - started:.1f} 秒。"
        )
