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


@pytest.fixture(scope="module")
def brand_extractor():  # noqa: ANN201
    """The entity extractor with its brands given (京东, 联想, and two non-brands the rules must refuse), so that the
    employer tests do not depend on the shared company lists."""
    from nlp.entities import EntityExtractor

    return EntityExtractor.from_settings(load_settings(environ={}), model_path=None,
                                         brands={"京东", "联想", "上海", "子公司"})
