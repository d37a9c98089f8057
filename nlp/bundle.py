"""The analyzer bundle on disk: ``bundle.json`` (versions, thresholds, ensemble weights, provenance),
``classical.npz`` (the non-neural model) and, optionally, ``transformer/`` (written by :mod:`nlp.model`)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nlp.errors import NlpError

#: The bundle shipped in the repository (used when no bundle is pinned or promoted).
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "default_model"

__all__ = ["BundleInfo", "BUNDLE_FILE", "CLASSICAL_FILE", "DEFAULT_MODEL_DIR", "TRANSFORMER_DIR", "bundle_version"]

BUNDLE_FILE = "bundle.json"
CLASSICAL_FILE = "classical.npz"
TRANSFORMER_DIR = "transformer"


def bundle_version(directory: Path, threshold: float, transformer_weight: float) -> str:
    """``lw-`` + a digest of what decides the verdicts: the classical model, the transformer adapter when it has
    weight, the threshold and that weight (a retrain that only moves the threshold gets a new version too)."""
    import hashlib

    from nlp.model.classifier import WEIGHTS_FILE  # torch-free module (torch loads only when a model does)

    h = hashlib.sha256((directory / CLASSICAL_FILE).read_bytes())
    if transformer_weight > 0:
        h.update((directory / TRANSFORMER_DIR / WEIGHTS_FILE).read_bytes())
    h.update(json.dumps([round(float(threshold), 6), round(float(transformer_weight), 6)]).encode())
    return "lw-" + h.hexdigest()[:8]


@dataclass
class BundleInfo:
    version: str
    threshold: float = 0.5  # relevance threshold on the ensemble probability
    event_threshold: float = 0.5
    # the fine-tuned transformer's relevance logit, blended into the encoder member's for the gated candidates:
    # z = (1 - w) * z_encoder + w * z_transformer (nlp.classical.ClassicalModel.predict); 0: not used
    transformer_weight: float = 0.0
    feature_version: str = ""
    provenance: dict[str, Any] = field(default_factory=dict)
    validation: dict[str, Any] = field(default_factory=dict)
    # per-type event thresholds fitted after the bundle (``nlp.type_evidence.TypeRule.as_dict`` plus how they were
    # fitted), replacing the classical model's; {}: the classical model's own (see ``bench/nlp_types.py fit-bundle``)
    event_types: dict[str, Any] = field(default_factory=dict)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / BUNDLE_FILE).write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> BundleInfo:
        path = directory / BUNDLE_FILE
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
            return cls(**d)
        except FileNotFoundError:
            raise NlpError(f"{path}: no analyzer bundle (run `laborwatch nlp train`)") from None
        except (ValueError, TypeError) as exc:
            raise NlpError(f"{path}: invalid bundle file: {exc}") from None
