from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

from index.errors import LocalNodeError
from index.node import (
    LocalNode,
    _unzip,
    find_jdks,
    java_range,
    pick_jdk,
    pick_port,
    port_is_free,
    read_node_state,
    render_elasticsearch_yml,
    state_file,
)


def _jdk(root: Path, name: str, version: str) -> Path:
    home = root / name
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "java").write_text("#!/bin/sh\n", encoding="utf-8")
    (home / "release").write_text(f'JAVA_VERSION="{version}"\n', encoding="utf-8")
    return home


def test_java_range_per_major() -> None:
    assert java_range("9.5.0") == (21, None)
    assert java_range("8.19.2") == (17, 23)
    with pytest.raises(LocalNodeError, match="not a version"):
        java_range("latest")


def test_pick_jdk_takes_newest_supported(tmp_path: Path) -> None:
    _jdk(tmp_path, "java-17-openjdk-amd64", "17.0.12")
    _jdk(tmp_path, "temurin-25-jdk-amd64", "25.0.1")
    (tmp_path / "java-1.17.0-openjdk-amd64").symlink_to(tmp_path / "java-17-openjdk-amd64")
    assert [j.major for j in find_jdks(tmp_path)] == [25, 17]
    assert pick_jdk("9.5.0", root=tmp_path).major == 25
    assert pick_jdk("8.19.0", root=tmp_path).major == 17  # Java 25 dropped the SecurityManager ES 8 needs


def test_pick_jdk_explains_when_none_fits(tmp_path: Path) -> None:
    _jdk(tmp_path, "java-17-openjdk-amd64", "17.0.12")
    with pytest.raises(LocalNodeError, match=r"needs Java 21\+; found: .*Java 17"):
        pick_jdk("9.5.0", root=tmp_path)
    with pytest.raises(LocalNodeError, match="is Java 17"):
        pick_jdk("9.5.0", configured=str(tmp_path / "java-17-openjdk-amd64"))
    with pytest.raises(LocalNodeError, match="no bin/java"):
        pick_jdk("9.5.0", configured=str(tmp_path / "nowhere"))


def test_taken_port_moves_to_a_free_one() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        taken = s.getsockname()[1]
        assert not port_is_free(taken)
        port, why = pick_port(taken)
        assert port != taken and port_is_free(port)
        assert why is not None and str(taken) in why and str(port) in why
    free, why = pick_port(port)
    assert (free, why) == (port, None)


def test_config_is_loopback_single_node_without_security(tmp_path: Path) -> None:
    yml = render_elasticsearch_yml(http_port=9201, transport_port=9301, data=tmp_path / "d", logs=tmp_path / "l")
    for line in (
        "network.host: 127.0.0.1",
        "http.port: 9201",
        "transport.port: 9301",
        "discovery.type: single-node",
        "xpack.security.enabled: false",
        f'path.data: "{tmp_path / "d"}"',
    ):
        assert line in yml.splitlines()
    assert "cluster.routing.allocation.disk.watermark.flood_stage" in yml
    assert not any(line.startswith("path.repo") for line in yml.splitlines())  # only when a folder is given


def test_config_names_the_snapshot_folder_so_backups_can_register_a_repository(tmp_path: Path) -> None:
    yml = render_elasticsearch_yml(http_port=9201, transport_port=9301, data=tmp_path / "d", logs=tmp_path / "l",
                                   repo=tmp_path / "snap")
    assert f'path.repo: "{tmp_path / "snap"}"' in yml.splitlines()


def test_stale_state_is_ignored(tmp_settings) -> None:
    path = state_file(tmp_settings)
    path.parent.mkdir(parents=True)
    proc = subprocess.Popen(["true"])
    proc.wait()
    path.write_text(json.dumps({"url": "http://127.0.0.1:1", "pid": proc.pid}), encoding="utf-8")
    assert read_node_state(tmp_settings) is None
    node = LocalNode(tmp_settings)
    assert node.url is None
    st = node.status()
    assert st["running"] is False and st["stale_state"] is True
    assert node.down() is False and not path.exists()


def test_missing_maven_or_failed_download_is_explained(tmp_settings, tmp_path: Path, monkeypatch) -> None:
    def failing(cmd, **kw):
        return subprocess.CompletedProcess(cmd, 1, stdout="", stderr="Could not resolve artifact\n")

    node = LocalNode(tmp_settings, cache_dir=tmp_path / "cache", runner=failing)
    monkeypatch.setattr("index.node.shutil.which", lambda name, **kw: "/usr/bin/" + name)
    with pytest.raises(LocalNodeError, match="Could not resolve artifact"):
        node.download()
    monkeypatch.setattr("index.node.shutil.which", lambda name, **kw: None)
    with pytest.raises(LocalNodeError, match="Maven .* not installed.*LW_ES_URL"):
        node.download()


def test_unzip_keeps_modes_and_refuses_escapes(tmp_path: Path) -> None:
    z = tmp_path / "d.zip"
    with zipfile.ZipFile(z, "w") as zf:
        info = zipfile.ZipInfo("es-1/bin/elasticsearch")
        info.external_attr = (stat.S_IFREG | 0o755) << 16
        zf.writestr(info, "#!/bin/sh\n")
        zf.writestr("es-1/config/elasticsearch.yml", "x: 1\n")
    out = tmp_path / "out"
    out.mkdir()
    top = _unzip(z, out)
    assert top.name == "es-1"
    assert os.access(top / "bin" / "elasticsearch", os.X_OK)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("../evil", "x")
    out2 = tmp_path / "out2"
    out2.mkdir()
    with pytest.raises(LocalNodeError, match="outside the target"):
        _unzip(bad, out2)
