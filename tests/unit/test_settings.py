from __future__ import annotations

from pathlib import Path

import pytest

from lwcore.errors import ConfigError
from lwcore.settings import load_settings


def test_defaults_load_from_repo_configs() -> None:
    s = load_settings(environ={})
    assert s.district == "青浦区"
    assert s.es.url is None
    assert s.config_path.name == "configs"


def test_settings_are_frozen() -> None:
    s = load_settings(environ={})
    with pytest.raises(Exception, match="frozen"):
        s.es.bulk_chunk_size = 3  # type: ignore[misc]


def test_environment_overrides_and_secret_not_in_repr() -> None:
    s = load_settings(
        environ={"LW_ES_URL": "https://es.example:9200", "LW_ES_PASSWORD": "hunter2", "LW__NLP__BATCH_SIZE": "8"}
    )
    assert s.es.url == "https://es.example:9200"
    assert s.es.password is not None and s.es.password.get_secret_value() == "hunter2"
    assert "hunter2" not in repr(s)
    assert s.nlp.batch_size == 8


def test_bad_value_names_file_key_and_reason(tmp_path: Path) -> None:
    f = tmp_path / "settings.yaml"
    f.write_text("es:\n  bulk_chunk_size: 0\n", encoding="utf-8")
    with pytest.raises(ConfigError) as ei:
        load_settings(f, environ={})
    assert ei.value.file == str(f)
    assert ei.value.key == "es.bulk_chunk_size"
    assert "greater than or equal to 1" in ei.value.reason


def test_unknown_key_rejected(tmp_path: Path) -> None:
    f = tmp_path / "settings.yaml"
    f.write_text("smtp:\n  hots: x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"smtp\.hots: unknown key"):
        load_settings(f, environ={})


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    f = tmp_path / "settings.yaml"
    f.write_text("es:\n  url: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line"):
        load_settings(f, environ={})


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_settings(tmp_path / "nope.yaml", environ={})


def test_config_beside_settings_file_falls_back_per_file(tmp_path: Path) -> None:
    """Issue 15: --config pointing at a folder holding only some files must not lose the others."""
    from lwcore.settings import DEFAULT_CONFIG_DIR

    (tmp_path / "settings.yaml").write_text("district: 青浦区\n", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text("sources: []\n", encoding="utf-8")
    s = load_settings(tmp_path / "settings.yaml", environ={})
    assert s.settings_file == str((tmp_path / "settings.yaml").resolve())
    assert s.config_file("sources.yaml") == tmp_path / "sources.yaml"
    assert s.config_file("regions.yaml") == DEFAULT_CONFIG_DIR / "regions.yaml"
    explicit = load_settings(tmp_path / "settings.yaml", environ={"LW__CONFIG_DIR": str(tmp_path)})
    assert explicit.config_file("regions.yaml") == tmp_path / "regions.yaml"


def test_config_check_prints_where_each_file_is_read(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "settings.yaml").write_text("district: 青浦区\n", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text("sources: []\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "LW_STATE_DIR": str(tmp_path / "state")}
    proc = subprocess.run([sys.executable, "-m", "laborwatch", "--config", str(tmp_path / "settings.yaml"),
                           "config", "check"], capture_output=True, text=True, timeout=300, env=env)
    out = proc.stdout
    assert f"sources.yaml               {tmp_path / 'sources.yaml'}" in out
    assert "regions.yaml" in out and "configs/regions.yaml" in out and "不存在" not in out
    assert proc.returncode == 0, proc.stderr[-2000:]
