"""Which analyzer members can run, without loading any model (no torch import): for ``laborwatch config check``,
``/healthz``, the Prometheus gauge ``laborwatch_nlp_member_up``, the crawl summary and ``laborwatch run``'s refusal
to start degraded.

The members: ``tfidf`` (the bundle's classical model), ``encoder`` (the frozen e5 base the bundle's encoder block
was trained on: built under ``<state>/models/base`` by ``laborwatch nlp build-base``, with the fingerprint the bundle
records), ``transformer`` (the fine-tuned adapters, when the bundle gives them weight; they need the encoder),
``frames`` (the rule layer, always there), ``short`` (the short-post member, ``nlp.short_member``, when the bundle
has its file), ``short_encoder`` (the short-post encoder member, ``nlp.short_encoder``, when the bundle has its file
and an encoder block: it reads the encoder's embeddings). A member the bundle asks for but cannot run is *missing*,
with a reason.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["MemberStatus", "member_status", "DEGRADED_HINT_ZH"]

logger = logging.getLogger(__name__)

#: What bureau staff read when a member is missing (web banner, config check, crawl summary).
DEGRADED_HINT_ZH = "分析模型降级运行：缺少 {members}（运行 `laborwatch nlp build-base` 构建基础模型），识别准确率下降"


@dataclass(frozen=True)
class MemberStatus:
    expected: tuple[str, ...]
    available: tuple[str, ...]
    missing: dict[str, str] = field(default_factory=dict)  # member -> reason
    bundle: str | None = None  # bundle version

    @property
    def degraded(self) -> bool:
        return bool(self.missing)

    def as_dict(self) -> dict[str, Any]:
        return {"bundle": self.bundle, "expected": list(self.expected), "available": list(self.available),
                "missing": dict(self.missing), "degraded": self.degraded}

    def message_zh(self) -> str:
        return DEGRADED_HINT_ZH.format(members="、".join(self.missing)) if self.missing else ""


def _dirs(settings: Any) -> tuple[Path, Path]:  # noqa: ANN401 - laborwatch Settings
    from nlp.bundles import BundleStore

    # a pinned bundle, else the promoted one (nlp.bundles' active pointer), else the committed default
    model_dir = (Path(settings.nlp.model_dir) if settings.nlp.model_dir
                 else BundleStore.from_settings(settings).active_dir())
    base_dir = Path(settings.nlp.base_dir) if settings.nlp.base_dir else settings.state_path / "models" / "base"
    return model_dir, base_dir


def member_status(settings: Any) -> MemberStatus:  # noqa: ANN401 - laborwatch Settings
    """The members the configured bundle asks for and whether each can run (files present, fingerprints equal)."""
    from nlp.bundle import BUNDLE_FILE, CLASSICAL_FILE, TRANSFORMER_DIR
    from nlp.short_encoder import ENCODER_SHORT_FILE
    from nlp.short_member import SHORT_FILE

    model_dir, base_dir = _dirs(settings)
    expected = ["tfidf"]
    missing: dict[str, str] = {}
    if not (model_dir / CLASSICAL_FILE).is_file() or not (model_dir / BUNDLE_FILE).is_file():
        missing["tfidf"] = f"no analyzer bundle at {model_dir} (lexicon rules only)"
        return MemberStatus(("tfidf", "frames"), ("frames",), missing)
    info = json.loads((model_dir / BUNDLE_FILE).read_text(encoding="utf-8"))
    spec = _encoder_spec(model_dir / CLASSICAL_FILE)
    use_neural = bool(getattr(settings.nlp, "use_transformer", True))
    if spec is not None and use_neural:
        expected.append("encoder")
        reason = _base_problem(base_dir, spec)
        if reason:
            missing["encoder"] = reason
        if float(info.get("transformer_weight") or 0) > 0:
            expected.append("transformer")
            if not (model_dir / TRANSFORMER_DIR / "classifier.json").is_file():
                missing["transformer"] = f"no adapters at {model_dir / TRANSFORMER_DIR}"
            elif "encoder" in missing:
                missing["transformer"] = "needs the encoder member's base"
    expected.append("frames")
    short = model_dir / SHORT_FILE
    if short.is_file():
        expected.append("short")
        reason = _short_problem(short)
        if reason:
            missing["short"] = reason
    senc = model_dir / ENCODER_SHORT_FILE
    if senc.is_file() and "encoder" in expected:
        expected.append("short_encoder")
        reason = _npz_problem(senc, {"w0", "b0", "meta"})
        if reason:
            missing["short_encoder"] = reason
        elif "encoder" in missing:
            missing["short_encoder"] = "needs the encoder member's base"
        else:
            fp = _short_encoder_base(senc)
            if fp and spec is not None and spec.get("base_fingerprint") and fp != spec["base_fingerprint"]:
                missing["short_encoder"] = f"{senc}: fitted on base {fp}, the bundle's encoder is " \
                                           f"{spec['base_fingerprint']} (refit it)"
    available = tuple(m for m in expected if m not in missing)
    return MemberStatus(tuple(expected), available, missing, bundle=info.get("version"))


def _short_problem(path: Path) -> str | None:
    """Why the short-post member's file cannot be used (its arrays are listed, not loaded), or None."""
    return _npz_problem(path, {"terms", "idf", "coef", "intercept"})


def _npz_problem(path: Path, arrays: set[str]) -> str | None:
    """Why a member's ``.npz`` file cannot be used (unreadable, or lacking one of ``arrays``), or None."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            names = {n.removesuffix(".npy") for n in z.namelist()}
    except (OSError, zipfile.BadZipFile) as exc:
        return f"{path}: unreadable ({exc})"
    lacking = arrays - names
    return f"{path}: lacks {sorted(lacking)}" if lacking else None


def _short_encoder_base(path: Path) -> str | None:
    """The encoder base fingerprint the short-post encoder member records (only its metadata array is read)."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as z:
            return json.loads(str(z["meta"])).get("base_fingerprint")
    except (OSError, ValueError, KeyError):
        return None


def _encoder_spec(classical: Path) -> dict[str, Any] | None:
    """The encoder block's spec stored in ``classical.npz`` (``enc_spec``; only that array is read)."""
    import numpy as np

    with np.load(classical, allow_pickle=False) as z:
        return json.loads(str(z["enc_spec"])) if "enc_spec" in z.files else None


def _base_problem(base_dir: Path, spec: dict[str, Any]) -> str | None:
    from nlp.model.base import read_base_info
    from nlp.model.errors import ModelError

    try:
        info = read_base_info(base_dir)
    except ModelError as exc:
        return str(exc)
    want = spec.get("base_fingerprint")
    if want and info.fingerprint != want:
        return f"base at {base_dir} is {info.fingerprint}, the bundle was trained on {want}"
    return None
