from __future__ import annotations

import pytest

from lwcore.settings import Settings, load_settings


@pytest.fixture(scope="session")
def nlp_settings() -> Settings:
    """Repo configs and the committed default model (no environment layer)."""
    return load_settings(environ={})


@pytest.fixture(scope="session")
def analyzer(nlp_settings: Settings):  # noqa: ANN201
    from nlp.analyzer import Analyzer

    return Analyzer.from_settings(nlp_settings)
