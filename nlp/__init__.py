"""The nlp room: labour-dispute detection, event tagging, employer extraction/linking, severity, clustering.

Public surface (no torch import here; the transformer is loaded lazily inside :mod:`nlp.model`):

- :class:`Analyzer` (``from_settings(settings)``, ``analyze(posts)``, ``seed_events(...)``)
- :class:`Segmenter` (owned jieba tokenizer with project dictionaries)
- :class:`CompanyRegistry`, :class:`Regions`, :func:`check_config`
- :class:`NlpError`
"""

from __future__ import annotations

from typing import Any

from nlp.errors import InputError, NlpError

__all__ = ["Analyzer", "Segmenter", "CompanyRegistry", "Regions", "check_config", "NlpError", "InputError"]

_LAZY = {
    "Analyzer": ("nlp.analyzer", "Analyzer"),
    "Segmenter": ("nlp.segment", "Segmenter"),
    "CompanyRegistry": ("nlp.registry", "CompanyRegistry"),
    "Regions": ("nlp.regions", "Regions"),
    "check_config": ("nlp.resources", "check_config"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")
