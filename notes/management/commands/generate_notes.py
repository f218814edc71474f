import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from tqdm import tqdm

from bench.dataset import generate


class Command(BaseCommand):
    help = "生成 N 篇合成的中文研究简报（用于性能测试），并重建搜索索引。"

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-index", action="store_true", help="不重建搜索索引。")

    def handle(self, *args, count, seed, no_index, **options):
        started = time.monotonic()
        with tqdm(total=count, unit="篇", desc="生成") as bar:
            generate(count, seed=seed, progress=bar.update)
        self.stdout.write(f"生成 {count} 篇，用时 {time.monotonic() - started:.1f} 秒。")
        if not no_index:
            started = time.monotonic()
            call_command("rebuild_search_index", verbosity=options["verbosity"])
            self.stdout.write(f"索引用时 {time.monotonic() - started:.1f} 秒。")
