"""The nlp room: labour-dispute detection, event tagging, employer extraction/linking, severity, clustering.

Public surface (no torch import here; the transformer is loaded lazily inside :mod:`nlp.model`):

- :class:`Analyzer` (``from_settings(settings)``, ``analyze(posts)``, ``seed_events(...)``)
- :class:`Segmenter` (owned jieba tokenizer with project dictionaries)
- :class:`CompanyRegistry`, :class:`Regions`, :func:`check_config`
- :class:`NlpError`
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lwcore.lazy import lazy_exports
from nlp.errors import InputError, NlpError

if TYPE_CHECKING:
    from nlp.analyzer import Analyzer
    from nlp.regions import Regions
    from nlp.registry import CompanyRegistry
    from nlp.resources import check_config
    from nlp.segment import Segmenter

__all__ = ["Analyzer", "Segmenter", "CompanyRegistry", "Regions", "check_config", "NlpError", "InputError"]

# the analyzer and its resources load on first use (no torch, no jieba dictionaries at import)
__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {
        "Analyzer": ".analyzer",
        "Segmenter": ".segment",
        "CompanyRegistry": ".registry",
        "Regions": ".regions",
        "check_config": ".resources",
    },
)
