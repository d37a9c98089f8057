from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import pytest

import index
from index.cli import parse_when
from index.errors import SearchQueryError
from laborwatch.cli import build_parser
from lwcore.domain import SHANGHAI


def test_public_surface_resolves() -> None:
    for name in index.__all__:
        assert getattr(index, name) is not None
    from index.query import SearchQuery

    assert callable(index.search) and index.SearchQuery is SearchQuery  # the function, not a submodule
    with pytest.raises(AttributeError):
        index.nope  # noqa: B018


def test_cli_import_stays_light() -> None:
    code = "import sys, index.cli; print('elasticsearch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_commands_are_registered() -> None:
    parser = build_parser()
    for argv in (["es", "up"], ["es", "down"], ["es", "fetch"], ["es", "status", "--json"], ["index", "init"]):
        assert callable(parser.parse_args(argv).handler)
    args = parser.parse_args(["search", "欠薪", "--since", "2024-05-01", "--source", "a", "--json"])
    assert args.query == ["欠薪"] and args.source == ["a"] and args.json


def test_parse_when() -> None:
    assert parse_when("2024-05-01") == datetime(2024, 5, 1, tzinfo=SHANGHAI)
    assert parse_when("2024-05-01", end=True) == datetime(2024, 5, 2, tzinfo=SHANGHAI)
    assert parse_when("2024-05-01T08:30") == datetime(2024, 5, 1, 8, 30, tzinfo=SHANGHAI)
    with pytest.raises(SearchQueryError, match="--until 'tomorrow'"):
        parse_when("tomorrow", end=True)
