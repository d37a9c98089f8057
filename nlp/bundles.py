"""Bundles with history: a store of trained analyzer bundles, their model cards, and the "active bundle" pointer.

Layout under the state folder (``<state>/models/``)::

    bundles/<id>/            one trained bundle (bundle.json, classical.npz, [transformer/]) + card.json (+ gate.json)
    active.json              the pointer: {"bundle", "path", "generation", "at", "by", "reason"}
    promotions.jsonl         every promotion and rollback, oldest first (the bundle store's own history)

The committed bundle under ``nlp/default_model`` is listed too (``builtin``): with no pointer the analyzer uses it,
and a rollback can return to it. Running processes follow the pointer (:class:`ActiveWatch`, used by
:class:`nlp.analyzer.Analyzer` once per batch: one ``stat`` call), so a promotion takes effect without a restart.
Promotions and rollbacks are written to the web audit log too when a database is given (``audit``).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nlp.bundle import BUNDLE_FILE, CLASSICAL_FILE, DEFAULT_MODEL_DIR, BundleInfo
from nlp.errors import NlpError

__all__ = ["BundleStore", "BundleEntry", "ActiveWatch", "CARD_FILE", "GATE_FILE", "ACTIVE_FILE", "BUILTIN"]

logger = logging.getLogger(__name__)

CARD_FILE = "card.json"
GATE_FILE = "gate.json"
ACTIVE_FILE = "active.json"
HISTORY_FILE = "promotions.jsonl"
BUILTIN = "builtin"

#: Writes one audit row: (action, bundle id, detail). The CLI and the web pass one bound to the database.
AuditFn = Callable[[str, str, dict[str, Any]], None]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class BundleEntry:
    """One bundle of the store (or the committed builtin one) with its card and gate report when present."""

    id: str
    path: Path
    builtin: bool = False
    card: dict[str, Any] = field(default_factory=dict)
    gate: dict[str, Any] | None = None
    active: bool = False

    @property
    def created_at(self) -> str:
        return str(self.card.get("created_at") or "")

    @property
    def gate_passed(self) -> bool | None:
        return None if self.gate is None else bool(self.gate.get("passed"))

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "path": str(self.path), "builtin": self.builtin, "active": self.active,
                "created_at": self.created_at, "gate_passed": self.gate_passed, "card": self.card,
                "gate": self.gate}


class BundleStore:
    """The bundles under ``root`` (``<state>/models``) and the pointer to the active one."""

    def __init__(self, root: Path, *, builtin_dir: Path = DEFAULT_MODEL_DIR) -> None:
        self.root = Path(root)
        self.bundles_dir = self.root / "bundles"
        self.pointer = self.root / ACTIVE_FILE
        self.history_file = self.root / HISTORY_FILE
        self.builtin_dir = Path(builtin_dir)

    @classmethod
    def from_settings(cls, settings: Any) -> BundleStore:  # noqa: ANN401 - laborwatch Settings
        return cls(settings.state_path / "models")

    # --- reading -------------------------------------------------------------------------------------------
    def _builtin(self) -> BundleEntry | None:
        if not (self.builtin_dir / BUNDLE_FILE).is_file():
            return None
        info = BundleInfo.load(self.builtin_dir)
        prov = info.provenance
        card = {"bundle": info.version, "created_at": "", "command": prov.get("command", ""),
                "seed": prov.get("seed"), "data_sources": [{"name": "shared labelled data", "path": prov.get("data"),
                                                            "items": prov.get("items"),
                                                            "positives": prov.get("positives")}],
                "figures": {"cv_relevance_f1": info.validation.get("cv_relevance_f1_classical")},
                "note": "随系统发布的默认模型"}
        return BundleEntry(id=info.version, path=self.builtin_dir, builtin=True, card=card)

    def entries(self) -> list[BundleEntry]:
        """Every bundle, the builtin first, then the store's newest first; ``active`` marks the one in use."""
        out: list[BundleEntry] = []
        b = self._builtin()
        if b is not None:
            out.append(b)
        stored: list[BundleEntry] = []
        if self.bundles_dir.is_dir():
            for d in self.bundles_dir.iterdir():
                if d.is_dir() and (d / BUNDLE_FILE).is_file() and not d.name.startswith("."):
                    stored.append(BundleEntry(id=d.name, path=d, card=_read_json(d / CARD_FILE) or {},
                                              gate=_read_json(d / GATE_FILE)))
        stored.sort(key=lambda e: (e.created_at, e.id), reverse=True)
        out += stored
        active = self.active_id()
        for e in out:
            e.active = e.id == active
        return out

    def get(self, bundle_id: str) -> BundleEntry:
        for e in self.entries():
            if e.id == bundle_id or (bundle_id == BUILTIN and e.builtin):
                return e
        known = ", ".join(e.id for e in self.entries()) or "无"
        raise NlpError(f"没有编号为 {bundle_id} 的模型包（已有：{known}；`laborwatch nlp bundles` 列出全部）")

    def read_pointer(self) -> dict[str, Any] | None:
        return _read_json(self.pointer)

    def active_dir(self) -> Path:
        """The directory of the bundle in use: the pointer's, else the builtin one."""
        p = self.read_pointer()
        if p and p.get("path") and (Path(p["path"]) / CLASSICAL_FILE).is_file():
            return Path(p["path"])
        return self.builtin_dir

    def active_id(self) -> str:
        p = self.read_pointer()
        if p and p.get("bundle"):
            return str(p["bundle"])
        b = self._builtin()
        return b.id if b else ""

    def history(self) -> list[dict[str, Any]]:
        if not self.history_file.is_file():
            return []
        out = []
        for n, line in enumerate(self.history_file.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except ValueError:
                    logger.warning("%s:%d: unreadable history line skipped", self.history_file, n)
        return out

    # --- writing -------------------------------------------------------------------------------------------
    def add(self, built_dir: Path, card: dict[str, Any]) -> BundleEntry:
        """Move a freshly trained bundle directory into the store under its version and write its card."""
        info = BundleInfo.load(built_dir)
        dest = self.bundles_dir / info.version
        if dest.exists():
            shutil.rmtree(dest)  # the same version is the same model: retraining the same data replaces it
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(built_dir), str(dest))
        _write_json_atomic(dest / CARD_FILE, {"bundle": info.version, **card})
        return self.get(info.version)

    def save_gate(self, bundle_id: str, report: dict[str, Any]) -> None:
        e = self.get(bundle_id)
        if e.builtin:
            raise NlpError("the builtin bundle has no gate report")
        _write_json_atomic(e.path / GATE_FILE, report)
        # the card carries the gate's headline figures too (the list and the web page show them)
        cand = (report.get("figures") or {}).get("candidate") or {}
        act = (report.get("figures") or {}).get("active") or {}
        card = {**e.card, "gate": {"passed": report.get("passed"), "against": report.get("active"),
                                   "eval_items": report.get("eval_items"), "at": report.get("at"),
                                   "slice_relevance_f1": (cand.get("figures") or {}).get("relevance_f1"),
                                   "active_slice_relevance_f1": (act.get("figures") or {}).get("relevance_f1")}}
        _write_json_atomic(e.path / CARD_FILE, card)

    def promote(self, bundle_id: str, *, by: str, reason: str = "", force: bool = False,
                action: str = "promote", audit: AuditFn | None = None) -> dict[str, Any]:
        """Point the system at ``bundle_id``. A store bundle needs a passed gate report unless ``force``
        (an administrator's override, recorded as such)."""
        e = self.get(bundle_id)
        if action == "promote" and not e.builtin and not force:
            if e.gate is None:
                raise NlpError(f"模型包 {e.id} 尚未通过评估关口（先运行 `laborwatch nlp gate {e.id}`，"
                               "或由管理员以 --force 强制启用）")
            if not e.gate.get("passed"):
                why = "；".join(e.gate.get("reasons") or []) or "评估未通过"
                raise NlpError(f"模型包 {e.id} 未通过评估关口：{why}（管理员可用 --force 强制启用）")
        old = self.read_pointer() or {}
        builtin = self._builtin()
        pointer = {"bundle": e.id, "path": str(e.path.resolve()), "generation": int(old.get("generation") or 0) + 1,
                   "at": _now(), "by": by, "reason": reason, "action": action, "forced": bool(force),
                   "previous": old.get("bundle") or (builtin.id if builtin else "")}
        _write_json_atomic(self.pointer, pointer)
        self.history_file.parent.mkdir(parents=True, exist_ok=True)
        with self.history_file.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(pointer, ensure_ascii=False) + "\n")
        if audit is not None:
            audit(f"model.{action}", e.id, {"previous": pointer["previous"], "reason": reason, "forced": force,
                                            "generation": pointer["generation"]})
        logger.warning("analyzer bundle %s %s by %s (was %s)", e.id, action, by, pointer["previous"])
        return pointer

    def rollback_target(self) -> str:
        """The bundle in use before the current one (walking back over the history), else the builtin."""
        current = self.active_id()
        for entry in reversed(self.history()):
            prev = entry.get("previous")
            if entry.get("bundle") == current and prev and prev != current:
                return str(prev)
        b = self._builtin()
        if b is None or b.id == current:
            raise NlpError("没有可回退的更早模型包")
        return b.id

    def rollback(self, bundle_id: str | None = None, *, by: str, reason: str = "",
                 audit: AuditFn | None = None) -> dict[str, Any]:
        """Return to ``bundle_id`` (any earlier bundle, gate or not) or to the one in use before the current."""
        target = bundle_id or self.rollback_target()
        return self.promote(target, by=by, reason=reason, force=True, action="rollback", audit=audit)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        logger.error("%s: unreadable (%s); ignored", path, exc)
        return None
    return d if isinstance(d, dict) else None


class ActiveWatch:
    """Cheap change detection of the pointer: one ``stat`` per call; the file is read only when it changed."""

    def __init__(self, pointer: Path, default_dir: Path) -> None:
        self.pointer = Path(pointer)
        self.default_dir = Path(default_dir)
        self._key: tuple[int, int, int] | None = None
        self.generation = 0

    def _stat_key(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.pointer)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def current(self) -> Path:
        """Read the pointer now (at start-up)."""
        self._key = self._stat_key()
        return self._resolve()

    def _resolve(self) -> Path:
        d = _read_json(self.pointer) if self._key is not None else None
        if d and d.get("path"):
            path = Path(d["path"])
            if (path / CLASSICAL_FILE).is_file():
                self.generation = int(d.get("generation") or 0)
                return path
            logger.error("%s points at %s, which holds no bundle: keeping the builtin bundle", self.pointer, path)
        return self.default_dir

    def changed(self) -> Path | None:
        """The bundle directory to use when the pointer changed since the last call, else None."""
        key = self._stat_key()
        if key == self._key:
            return None
        self._key = key
        return self._resolve()
