from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from notes.models import ImportPreview


class Command(BaseCommand):
    help = "删除超过 24 小时的导入预览及其暂存文件（上传页也会顺带清理；可每小时由 cron 运行）。"

    def handle(self, *args, **options):
        count = ImportPreview.purge()
        self.stdout.write(_("已删除 %d 个过期的导入预览。") % count)
