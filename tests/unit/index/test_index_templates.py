from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.errors import MappingError
from index.templates import MAPPINGS_DIR, load_mapping, template_body, template_name


def test_shipped_mapping_is_valid_and_versioned() -> None:
    spec = load_mapping()
    assert spec.file.parent == MAPPINGS_DIR
    assert spec.mappings["_meta"]["version"] == spec.version
    props = spec.mappings["properties"]
    # Chinese text works on a bare node: per-character standard field + whitespace field of jieba words
    assert props["title"]["analyzer"] == "standard" and props["title_seg"]["analyzer"] == "whitespace"
    assert props["content"]["analyzer"] == "standard" and props["content_seg"]["analyzer"] == "whitespace"
    a = props["analysis"]["properties"]
    for key in ("event_types", "severity", "towns", "event_id"):
        assert a[key]["type"] == "keyword"
    assert a["companies"]["properties"]["company_id"]["type"] == "keyword"
    assert a["severity_rank"]["type"] in ("byte", "short", "integer")
    assert props["verification"]["properties"]["state"]["type"] == "keyword"


def test_template_name_pattern_alias_and_priority() -> None:
    spec = load_mapping()
    body = template_body("lw-posts", spec)
    assert template_name("lw-posts", spec.version) == f"lw-posts-template-v{spec.version}"
    assert body["index_patterns"] == ["lw-posts-*"]
    assert body["template"]["aliases"] == {"lw-posts": {}}
    assert body["template"]["mappings"]["_meta"]["version"] == spec.version
    assert template_body("lw-posts-x", spec)["priority"] > body["priority"]


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_newest_file_wins(tmp_path: Path) -> None:
    for v in (1, 2):
        _write(tmp_path, f"posts.v{v}.json", {"version": v, "mappings": {"_meta": {"version": v}, "properties": {}}})
    assert load_mapping(directory=tmp_path).version == 2
    assert load_mapping(1, directory=tmp_path).version == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": 2, "mappings": {"_meta": {"version": 1}, "properties": {}}}, "file name says 1"),
        ({"version": 1, "mappings": {"_meta": {"version": 2}, "properties": {}}}, "_meta.version"),
        ({"version": 1, "mappings": {"_meta": {"version": 1}}}, "mappings.properties"),
    ],
)
def test_invalid_mapping_files_name_the_file(tmp_path: Path, data: dict, message: str) -> None:
    path = _write(tmp_path, "posts.v1.json", data)
    with pytest.raises(MappingError, match=message) as err:
        load_mapping(directory=tmp_path)
    assert str(path) in str(err.value)


def test_broken_json_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="no posts.v<N>.json"):
        load_mapping(directory=tmp_path)
    (tmp_path / "posts.v1.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(MappingError, match="invalid JSON"):
        load_mapping(directory=tmp_path)
    with pytest.raises(MappingError, match="no mapping file for version 7"):
        load_mapping(7, directory=tmp_path)
