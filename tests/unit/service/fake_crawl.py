"""A stand-in for ``laborwatch crawl`` used by the service tests (a real subprocess, behaviour by source id).

argv: SOURCE_ID STATS_FILE STATE_DIR

- ``ok*``: writes stats (3 pages, 5 items, 2 new) and exits 0;
- ``fail*``: prints an error and exits 2;
- ``hang*``: starts a grandchild, ignores SIGTERM and sleeps forever (only SIGKILL of the group ends it);
- ``slow*``: works for up to 120 s, on SIGTERM "flushes its batch" to STATE/flushed-SOURCE.jsonl, writes stats
  and exits 0 (what Scrapy's graceful shutdown does for the real crawl).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    source, stats_file, state = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    (state / f"started-{source}").write_text(str(os.getpid()))
    if source.startswith("ok"):
        stats = {"pages": 3, "items": 5, "new_items": 2, "errors": 0, "finish_reason": "finished",
                 "dropped": {"old": 1}, "pipeline_seconds": [0.12, 0.3]}
        stats_file.write_text(json.dumps(stats))
        return 0
    if source.startswith("fail"):
        print(f"crawl of {source} failed: the site layout changed", file=sys.stderr)
        return 2
    if source.startswith("hang"):
        child = subprocess.Popen(["sleep", "300"])
        (state / f"hang-{source}.pids").write_text(f"{os.getpid()} {child.pid}")
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        while True:
            time.sleep(1)
    if source.startswith("slow"):
        batch = [{"id": f"{source}-{i}"} for i in range(7)]

        def flush(_signum: int, _frame: object) -> None:
            with (state / f"flushed-{source}.jsonl").open("w") as fh:
                for rec in batch:
                    fh.write(json.dumps(rec) + "\n")
            stats_file.write_text(json.dumps({"pages": 2, "items": len(batch), "new_items": len(batch),
                                              "errors": 0, "finish_reason": "shutdown"}))
            sys.exit(0)

        signal.signal(signal.SIGTERM, flush)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.1)
        stats_file.write_text(json.dumps({"pages": 2, "items": 7, "new_items": 7, "finish_reason": "finished"}))
        return 0
    print(f"unknown fake source {source}", file=sys.stderr)
    return 3


if __name__ == "__main__":
    sys.exit(main())
