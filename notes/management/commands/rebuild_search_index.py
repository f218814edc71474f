import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from notes.models import Note
from notes.search import frequent
from notes.search.index import counts
from notes.search.rebuild import rebuild
from notes.search.text import TOKENIZER_VERSION


class Command(BaseCommand):
    help = (
        "重建全文搜索索引（所有文章）。分词方式（TOKENIZER_VERSION）改变后必须运行；"
        "用 --check 只查看索引是否过期。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="只报告过期或缺失的索引行，不重建。"
        )
        parser.add_argument("--workers", type=int, default=None, help="分词进程数。")

    def handle(self, *args, check=False, workers=None, **options):
        if check:
            return self._check()
        started = time.monotonic()
        with tqdm(total=Note.objects.count(), unit="篇", disable=options["verbosity"] < 1) as bar:
            total = rebuild(progress=bar.update, workers=workers)
        self.stdout.write(
            self.style.SUCCESS(
                f"已为 {total} 篇文章重建索引（分词版本 {TOKENIZER_VERSION}），"
                f"用时 {time.monotonic() - started:.1f} 秒。{self._frequent()}"
            )
        )

    def _frequent(self):
        vocabulary = frequent.current()
        if vocabulary is None:
            return f"文章少于 {frequent.MIN_NOTES} 篇，没有常用词表：每个词都查索引。"
        return f"常用词表：{len(vocabulary.tokens)} 个词，在内存中查找。"

    def _check(self):
        found = counts()
        missing = Note.objects.count() - found["indexed"]
        if missing or found["stale"] or found["repack"]:
            self.stdout.write(
                self.style.WARNING(
                    f"索引需要重建：{found['stale']} 行由旧的分词版本写入，"
                    f"{found['repack']} 行不是按当前的常用词表写入，"
                    f"{max(missing, 0)} 篇文章没有索引。请运行 manage.py rebuild_search_index。"
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"索引是最新的（分词版本 {TOKENIZER_VERSION}）。{self._frequent()}"
                )
            )
