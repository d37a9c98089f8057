"""The shipped deployment files (deploy/): systemd units whose commands exist in this CLI, an environment file
that the settings accept, and ``systemd-analyze verify`` where the machine has it."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from laborwatch.cli import build_parser
from lwcore.settings import _ENV_SHORTCUTS, load_settings

REPO = Path(__file__).resolve().parents[3]
UNITS = REPO / "deploy" / "systemd"
INSTALLED = "/opt/laborwatch/venv/bin/laborwatch"


def _entries(path: Path) -> list[tuple[str, str, str]]:
    """(section, key, value) of a unit file, in order (systemd allows repeated keys, so no configparser)."""
    out, section = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        out.append((section, key.strip(), value.strip()))
    return out


def _laborwatch_argv(command: str) -> list[str]:
    """The laborwatch arguments of an Exec line (directly, or inside ``/bin/sh -c '...'``)."""
    argv = shlex.split(command.replace("%%", "%"))
    if argv[:2] == ["/bin/sh", "-c"]:
        argv = shlex.split(argv[2])
        if argv[0] == "exec":
            argv = argv[1:]
    assert argv[0] == INSTALLED, f"{command}: the unit must start the installed laborwatch"
    return argv[1:]


UNIT_FILES = sorted(p for p in UNITS.iterdir() if p.suffix in (".service", ".timer"))


def test_the_topology_has_its_units() -> None:
    names = {p.name for p in UNIT_FILES}
    assert {"laborwatch-scheduler.service", "laborwatch-crawl-worker@.service", "laborwatch-sender.service",
            "laborwatch-web.service", "laborwatch-backup.service", "laborwatch-backup.timer"} <= names
    deploy_doc = (REPO / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    for name in names:
        assert name in deploy_doc, f"docs/DEPLOY.md does not mention {name}"


@pytest.mark.parametrize("unit", [p for p in UNIT_FILES if p.suffix == ".service"], ids=lambda p: p.name)
def test_every_exec_line_is_a_command_this_cli_accepts(unit: Path) -> None:
    entries = _entries(unit)
    execs = [(k, v) for s, k, v in entries if s == "Service" and k.startswith("Exec")]
    assert any(k == "ExecStart" for k, _ in execs)
    parser = build_parser()
    for key, command in execs:
        args = _laborwatch_argv(command)
        try:
            ns = parser.parse_args(args)
        except SystemExit:  # argparse printed why
            pytest.fail(f"{unit.name} {key}: `laborwatch {' '.join(args)}` is not a valid command")
        assert getattr(ns, "handler", None) is not None, f"{unit.name} {key}: no sub-command"
    keys = {k for s, k, _ in entries if s == "Service"}
    assert {"User", "EnvironmentFile", "Restart" if "Type=oneshot" not in unit.read_text() else "Type"} <= keys


def test_the_environment_file_sample_is_accepted_by_the_settings() -> None:
    env = {}
    for line in (UNITS / "laborwatch.env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    lw = {k for k in env if k.startswith("LW_") and not k.startswith("LW__")}
    unknown = lw - set(_ENV_SHORTCUTS) - {"LW_CONFIG"}
    assert not unknown, f"not read by the settings: {sorted(unknown)}"
    s = load_settings(environ={k: v for k, v in env.items() if k != "LW_CONFIG"})
    assert s.db_url.startswith("postgresql") and s.crawl.redis_url and s.es.url and "," in s.es.url


def test_systemd_analyze_verify_finds_nothing_wrong(tmp_path: Path) -> None:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed here")
    installed = Path(sys.executable).with_name("laborwatch")
    if not installed.is_file():
        pytest.skip(f"{installed}: the console script is not installed in this environment")
    env_file = tmp_path / "laborwatch.env"
    env_file.write_text("LW_STATE_DIR=/tmp\n", encoding="utf-8")
    for p in UNIT_FILES:  # the installed paths of a real host, pointed at this environment
        text = p.read_text(encoding="utf-8").replace(INSTALLED, str(installed))
        text = text.replace("/etc/laborwatch/laborwatch.env", str(env_file))
        text = re.sub(r"^(User|Group)=.*$", r"\1=root", text, flags=re.M)  # no 'laborwatch' account here
        (tmp_path / p.name).write_text(text, encoding="utf-8")
    units = [str(tmp_path / p.name) for p in UNIT_FILES if "@" not in p.name]
    units.append(str(tmp_path / "laborwatch-crawl-worker@1.service"))
    shutil.copy(tmp_path / "laborwatch-crawl-worker@.service", tmp_path / "laborwatch-crawl-worker@1.service")
    proc = subprocess.run([tool, "verify", "--man=no", *units], capture_output=True, text=True, timeout=120)
    complaints = [ln for ln in (proc.stdout + proc.stderr).splitlines() if str(tmp_path) in ln or "laborwatch" in ln]
    assert proc.returncode == 0 and not complaints, proc.stdout + proc.stderr
