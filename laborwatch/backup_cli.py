"""``laborwatch backup DIR`` and ``laborwatch restore DIR`` (see :mod:`laborwatch.backup`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from laborwatch.backup import backup, restore, verify
from lwcore.settings import Settings

_METHOD_ZH = {"snapshot": "快照", "snapshot-remote": "集群快照库", "export": "文档导出"}


def _cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    m = backup(settings, Path(args.dir), es_method=args.es_method)
    db, es = m["database"], m["elasticsearch"]
    rows = sum(v for k, v in db["tables"].items() if k != "alembic_version")
    docs = sum(es.get("indices", {}).values())
    print(f"备份完成：{args.dir}")
    print(f"  数据库（{db['dialect']}）：{len(db['tables'])} 张表，{rows} 行")
    print(f"  检索库（{_METHOD_ZH.get(es['method'], es['method'])}）：{len(es.get('indices', {}))} 个索引，{docs} 篇")
    print(f"  状态文件（暂存、日志）：{m['state']['files']} 个；配置文件：{m['config']['files']} 个；"
          f"用时 {m['seconds']} 秒")
    if args.json:
        print(json.dumps({"database": db["tables"], "indices": es.get("indices", {}), "method": es["method"],
                          "state_files": m["state"]["files"], "config_files": m["config"]["files"]},
                         ensure_ascii=False))
    return 0


def _cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    if args.verify_only:
        m = verify(Path(args.dir))
        print(f"备份完好：{args.dir}（{len(m.get('files', {}))} 个文件校验一致）")
        return 0
    r = restore(settings, Path(args.dir), force=args.force, config_to=Path(args.config_to) if args.config_to else None)
    rows = sum(v for k, v in r["tables"].items() if k != "alembic_version")
    print(f"恢复完成：数据库 {rows} 行，检索库 {sum(r['indices'].values())} 篇（索引前缀 {settings.es.index_prefix}），"
          f"状态文件 {r['state_files']} 个，配置文件 {r['config_files']} 个；与备份清单逐项一致")
    if args.json:
        print(json.dumps({"tables": r["tables"], "indices": r["indices"], "state_files": r["state_files"],
                          "config_files": r["config_files"]}, ensure_ascii=False))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("backup", help="back up database, index (snapshot), spools/journal and config into DIR")
    b.add_argument("dir", metavar="DIR", help="a new or empty folder")
    b.add_argument("--es-method", choices=("auto", "snapshot", "export"), default="auto",
                   help="auto (default): the cluster's es.snapshot_repository, else an fs snapshot under the "
                        "node's path.repo, else a document export")
    b.add_argument("--json", action="store_true", help="also print the counts as one JSON line")
    b.set_defaults(handler=_cmd_backup)
    r = sub.add_parser("restore", help="restore a backup into a fresh state / database / index prefix; "
                                       "compares counts with the backup's manifest")
    r.add_argument("dir", metavar="DIR", help="a folder written by `laborwatch backup`")
    r.add_argument("--force", action="store_true", help="replace a non-empty database, indices, state files")
    r.add_argument("--config-to", metavar="DIR", help="also write the backed-up config files into DIR")
    r.add_argument("--verify-only", action="store_true", help="only check the manifest's checksums")
    r.add_argument("--json", action="store_true", help="also print the counts as one JSON line")
    r.set_defaults(handler=_cmd_restore)
