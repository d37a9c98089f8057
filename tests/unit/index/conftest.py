"""Helpers of the index room's unit tests (shared with the integration tier in tests/index_support.py)."""

from tests.index_support import make_item, split_segmenter

__all__ = ["make_item", "split_segmenter"]
