"""Progress on ``geo export`` and ``geo boundaries export`` (issue 12): a bar on a terminal once the
export has run :data:`geo.cli.progress.DELAY_S` seconds, nothing on a piped stderr.

The terminal is a pseudo-terminal with a window size (tqdm draws no line on a terminal of 0 rows).
"""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

import pytest

from geo.cli import progress

REPO = Path(__file__).resolve().parents[1]
JANUARY = REPO / "examples" / "data" / "january_2022.csv"
GEO = Path(sys.executable).with_name("geo")

#: ``geo ARGS`` with the bar's delay set to DELAY seconds (argv[1]), for a run shorter than two seconds.
WITH_DELAY = (
    "import sys; import geo.cli.progress as p; p.DELAY_S = float(sys.argv.pop(1)); "
    "from geo.cli import main; main(prog_name='geo')"
)


def _on_pty(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run ``args`` with stderr on a 24x100 pseudo-terminal; (exit code, stdout, what the terminal got)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    with tempfile.TemporaryFile() as stdout:  # a file, not a pipe: a full pipe would block the child
        with subprocess.Popen(args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=slave) as proc:
            os.close(slave)
            chunks = []
            while True:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            os.close(master)
            code = proc.wait(timeout=120)
        stdout.seek(0)
        out = stdout.read().decode()
    return code, out, b"".join(chunks).decode("utf-8", "replace")


LONG_EXPORT = ["boundaries", "export", "--layer", "land", "-o", "land.kmz"]  # 5-10 s, most of it writing


@pytest.mark.slow
def test_boundaries_export_draws_a_bar_on_a_terminal(tmp_path):
    code, _, term = _on_pty([str(GEO), *LONG_EXPORT], tmp_path)
    assert code == 0, term
    assert "export:" in term and "write kmz" in term and "%|" in term, term
    assert term.rstrip().endswith("wrote 31 land features to land.kmz"), term  # the bar cleared before it


@pytest.mark.slow
def test_boundaries_export_piped_has_no_bar(tmp_path):
    r = subprocess.run([str(GEO), *LONG_EXPORT], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stderr == "wrote 31 land features to land.kmz\n"


def test_export_draws_its_stages_on_a_terminal(tmp_path):
    seed = ["--site", "Hamhung", "--rings-km", "190", "--events", str(JANUARY), "-o", "seed.gpkg"]
    code, _, term = _on_pty([sys.executable, "-c", WITH_DELAY, "0", "export", *seed], tmp_path)
    assert code == 0, term
    assert "export:" in term and "layers" in term and "write gpkg" in term, term
    assert "wrote seed.gpkg (gpkg:" in term


def test_export_to_stdout_keeps_the_bar_off_stdout(tmp_path):
    args = [
        "export",
        "--site",
        "Hamhung",
        "--rings-km",
        "190",
        "--no-zones",
        "-o",
        "-",
        "--format",
        "geojson",
    ]
    code, out, term = _on_pty([sys.executable, "-c", WITH_DELAY, "0", *args], tmp_path)
    assert code == 0, term
    assert "export:" in term
    assert out.startswith("{") and "export:" not in out


def test_export_piped_writes_only_its_message(tmp_path):
    r = subprocess.run(
        [sys.executable, "-c", WITH_DELAY, "0", "export", "--site", "Hamhung", "--no-zones", "-o", "s.gpkg"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert r.stderr == "wrote s.gpkg (gpkg: sites 1)\n"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _terminal(monkeypatch: pytest.MonkeyPatch) -> _Terminal:
    """stderr as a terminal, set in the test itself (pytest swaps stderr back in between phases)."""
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    return term


def test_a_quick_block_draws_nothing(monkeypatch):
    terminal = _terminal(monkeypatch)
    with progress.stages("export", ["layers", "write"], delay_s=5) as stage:
        stage("layers")
        stage("write")
    assert terminal.getvalue() == ""


def test_a_long_single_stage_shows_and_ticks_after_the_delay(monkeypatch):
    terminal = _terminal(monkeypatch)
    with progress.stages("export", ["write"], delay_s=0.2) as stage:
        stage("write kmz")
        time.sleep(1.0)  # one stage, no update: only the ticker draws
        drawn = terminal.getvalue()
    assert drawn.count("\rexport:") >= 2 and "write kmz" in drawn, drawn
    assert "step/s" not in drawn  # stages have no meaningful rate
