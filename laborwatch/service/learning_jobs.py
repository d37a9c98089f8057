"""The learning loop's scheduled jobs: ``nlp retrain`` in a subprocess within the memory budget (weekly by
default, ``nlp.learning.retrain_cron``) and yesterday's drift check (``nlp.learning.drift_time``).

Retraining runs as ``python -m laborwatch [--config FILE] nlp retrain --by scheduler`` in its own process group with
a memory limit of ``nlp.learning.retrain_memory_mb`` and at most two BLAS threads, so a large training set fails alone
instead of starving the crawls. The limit is ``RLIMIT_DATA`` (heap and private anonymous memory: what training
allocates), not ``RLIMIT_AS``: torch maps its libraries and thread arenas in far more address space than it uses, and
under a 2 GB ``RLIMIT_AS`` ``import torch`` itself fails (measured); its log goes to ``<state>/models/retrain-logs/``.
The administrators get a notice with the gate's result (passed / refused with the reasons, promoted or waiting for an
administrator in the web UI).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from lwcore.domain import SHANGHAI
from lwcore.settings import Settings

__all__ = ["retrain_argv", "run_retrain", "retrain_job", "drift_job", "retrain_notice"]

logger = logging.getLogger(__name__)


def retrain_argv(config_file: str | None) -> list[str]:
    argv = [sys.executable, "-m", "laborwatch"]
    if config_file:
        argv += ["--config", config_file]
    return argv + ["nlp", "retrain", "--by", "scheduler"]


def _limit(memory_mb: int):  # noqa: ANN202 - a preexec function
    def apply() -> None:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))

    return apply


def run_retrain(settings: Settings, *, config_file: str | None = None,
                argv: list[str] | None = None) -> dict[str, Any]:
    """Run the retrain subprocess; returns ``{"exit_code", "seconds", "log", "result"}`` (``result``: the command's
    JSON summary when it printed one)."""
    cfg = settings.nlp.learning
    logs = settings.state_path / "models" / "retrain-logs"
    logs.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(SHANGHAI).strftime("%Y%m%d-%H%M%S")
    log_file = logs / f"{stamp}.log"
    out_file = logs / f"{stamp}.json"
    argv = argv or retrain_argv(config_file)
    env = {**os.environ, "OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2", "MKL_NUM_THREADS": "2"}
    t0 = time.monotonic()
    logger.warning("retraining starts: %s (memory limit %d MB, log %s)", argv, cfg.retrain_memory_mb, log_file)
    with log_file.open("wb") as log, out_file.open("wb") as out:
        try:
            proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=log, env=env,
                                  timeout=cfg.retrain_timeout_s, preexec_fn=_limit(cfg.retrain_memory_mb),  # noqa: PLW1509
                                  start_new_session=True, cwd=str(settings.state_path), check=False)
            code: int | None = proc.returncode
        except subprocess.TimeoutExpired:
            code = None
    result: dict[str, Any] | None = None
    try:
        text = out_file.read_text(encoding="utf-8").strip()
        result = json.loads(text) if text else None
    except (OSError, ValueError):
        result = None
    rep = {"exit_code": code, "seconds": round(time.monotonic() - t0, 1), "log": str(log_file), "result": result}
    logger.warning("retraining ended: exit %s after %.0f s (%s)", code, rep["seconds"], result)
    return rep


def _tail(path: str, n: int = 15) -> str:
    try:
        return "\n".join(Path(path).read_text(encoding="utf-8", errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def retrain_notice(settings: Settings, rep: dict[str, Any]) -> tuple[str, str] | None:
    """(subject, body) for the administrators, or None when there is nothing to tell (a quiet skip)."""
    res = rep.get("result") or {}
    base = settings.alerting.base_url.rstrip("/")
    if rep["exit_code"] == 3:  # skipped: not enough data
        return None
    if rep["exit_code"] not in (0, 4) or not res.get("bundle"):
        why = "超时" if rep["exit_code"] is None else f"退出码 {rep['exit_code']}"
        return ("模型定期重训失败", f"定期重训（laborwatch nlp retrain）未完成：{why}，用时 {rep['seconds']:.0f} 秒。\n"
                f"日志：{rep['log']}\n\n{_tail(rep['log'])}\n\n当前使用的模型不变。")
    lines = [f"候选模型 {res['bundle']} 已训练完成（用时 {rep['seconds']:.0f} 秒）。", ""]
    if res.get("gate_passed"):
        lines.append("评估关口：通过（在已核实信息的评估切片和行为测试上没有超出允许范围的下降）。")
        lines.append("已自动启用。" if res.get("promoted") else f"等待管理员在 {base}/admin/models 启用。")
    else:
        lines.append("评估关口：未通过，未启用。原因：")
        lines += [f"- {r}" for r in res.get("gate_reasons") or []]
    lines += ["", f"对比详情（分切片指标、两者判断不同的信息）：{base}/admin/models/{res['bundle']}"]
    subject = f"候选模型 {res['bundle']} " + ("已启用" if res.get("promoted") else
                                            "通过评估，待启用" if res.get("gate_passed") else "未通过评估")
    return subject, "\n".join(lines)


def retrain_job() -> dict[str, Any]:
    from laborwatch.service.jobs import get_runtime

    rt = get_runtime()
    rep = run_retrain(rt.settings, config_file=getattr(rt.crawler, "config_file", None))
    notice = retrain_notice(rt.settings, rep)
    if notice is not None:
        from alerting import notify_admins

        notify_admins(rt.settings, rt.db, *notice)
    return rep


def drift_job() -> dict[str, Any]:
    from laborwatch.service.jobs import get_runtime
    from nlp.drift import run_drift_check

    rt = get_runtime()
    return run_drift_check(rt.settings, db=rt.db, notify=True)
