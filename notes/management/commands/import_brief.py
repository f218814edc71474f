import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from tqdm import tqdm

from notes.importing import BriefError, load_path
from notes.importing.store import find_note_type, find_series, import_key, save_brief
from notes.models import Note, NoteType, Series


class Command(BaseCommand):
    help = (
        "导入简报（.txt、.md、.pdf、.docx）为草稿；再次导入同一简报（标题和第一作者相同，"
        "任何格式）会更新那篇草稿。--json 只打印解析结果，不写数据库。"
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--dry-run", action="store_true", help="只解析并报告，不写数据库。")
        parser.add_argument(
            "--json", action="store_true", help="每个文件打印一行 JSON（不访问数据库）。"
        )
        parser.add_argument("--series", metavar="SLUG", help="把导入的文章放进这个栏目。")
        parser.add_argument(
            "--create-taxonomy",
            action="store_true",
            help="简报里的栏目或类型不存在时新建；不加此项则不设置并给出提示。",
        )
        parser.add_argument(
            "--offer-original",
            action="store_true",
            help="文章发布后在文章页提供原文件下载。",
        )
        parser.add_argument(
            "--publish-at",
            metavar="ISO",
            help="定时发布时间，如 2021-03-19T08:00+08:00；文章仍为草稿，编辑发布后按此时间上线。",
        )

    def handle(self, *args, **options):
        paths = options["paths"]
        publish_at = self._publish_at(options["publish_at"])
        use_db = not options["json"]
        series = self._series(options["series"]) if options["series"] and use_db else None
        known_types = []
        if use_db:
            for name, name_en in NoteType.objects.values_list("name", "name_en"):
                known_types += [name, name_en]

        counts = {"imported": 0, "updated": 0, "failed": 0}
        progress = tqdm(
            paths, file=sys.stderr, unit="file", disable=len(paths) < 2 or options["json"]
        )
        for path in progress:
            try:
                _text, brief = load_path(path, known_types=known_types)
                warnings = [w["message"] for w in brief.as_dict()["warnings"]]
                if options["json"]:
                    self.stdout.write(json.dumps(brief.as_dict(), ensure_ascii=False))
                    counts["imported"] += 1
                elif options["dry_run"]:
                    self._report_dry_run(path, brief, counts, series, options)
                else:
                    result = save_brief(
                        brief,
                        series=series,
                        publish_at=publish_at,
                        create_taxonomy=options["create_taxonomy"],
                        original=(Path(path).name, Path(path).read_bytes()),
                        offer_original=options["offer_original"] or None,
                    )
                    warnings += result.warnings
                    counts["imported" if result.created else "updated"] += 1
                    url = settings.SITE_URL + reverse(
                        "admin:notes_note_change", args=[result.note.pk]
                    )
                    if result.created:
                        message = _("已创建《%(title)s》")
                    else:
                        message = _("已更新《%(title)s》：同一简报（标题和第一作者相同）导入过")
                    message = message % {"title": result.note.title}
                    self._write(self.stdout, f"{path}: {message} {url}")
                for warning in warnings:
                    self._write(self.stderr, f"{path}: " + _("注意：%s") % warning)
            except BriefError as error:
                counts["failed"] += 1
                self._write(self.stderr, f"{path}: " + _("失败：%s") % error)
            except DatabaseError as error:  # the file's transaction was rolled back
                counts["failed"] += 1
                reason = _("写入数据库出错，未保存任何内容（%s）") % error
                self._write(self.stderr, f"{path}: " + _("失败：%s") % reason)
        summary = _("导入 %(imported)d，更新 %(updated)d，失败 %(failed)d") % counts
        self.stderr.write(summary) if options["json"] else self.stdout.write(summary)
        if counts["failed"]:
            raise CommandError(_("%d 个文件导入失败。") % counts["failed"], returncode=1)

    @staticmethod
    def _write(stream, message):
        with tqdm.external_write_mode(file=sys.stderr):
            stream.write(message)

    def _publish_at(self, value):
        if not value:
            return None
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            raise CommandError(
                _("--publish-at 不是有效的 ISO 时间：%r（例如 2021-03-19T08:00+08:00）") % value
            )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def _series(self, slug):
        series = Series.objects.filter(slug=slug).first()
        if series is None:
            raise CommandError(_("没有网址名为 %r 的栏目。") % slug)
        return series

    def _report_dry_run(self, path, brief, counts, series, options):
        existing = Note.objects.filter(import_key=import_key(brief)).first()
        if existing is None:
            action, counts["imported"] = _("将创建"), counts["imported"] + 1
        elif existing.status != Note.Status.DRAFT:
            action, counts["failed"] = _("已导入且不是草稿，将跳过"), counts["failed"] + 1
        else:
            action = _("将更新第 %d 篇") % existing.pk
            counts["updated"] += 1
        sizes = "/".join(str(len(s.paragraphs)) for s in brief.sections)
        self._write(
            self.stdout,
            f"{path}: {action}《{brief.title}》 "
            + _("栏目=%(series)s 类型=%(type)s 作者=%(authors)s 段落=%(sizes)s")
            % {
                "series": (series.name if series else brief.series) or "-",
                "type": brief.type or "-",
                "authors": "、".join(a.name for a in brief.authors) or "-",
                "sizes": sizes,
            },
        )
        missing = []
        if series is None and brief.series and find_series(brief.series, create=False) is None:
            missing.append(_("栏目“%(name)s”不存在") % {"name": brief.series})
        if brief.type and find_note_type(brief.type, create=False) is None:
            missing.append(_("类型“%(name)s”不存在") % {"name": brief.type})
        for message in missing:
            hint = (
                _("将新建")
                if options["create_taxonomy"]
                else _("将不设置（用 --create-taxonomy 新建）")
            )
            self._write(self.stderr, f"{path}: " + _("注意：%s") % f"{message}，{hint}")
