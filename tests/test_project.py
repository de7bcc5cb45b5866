"""The project keeps its promises: the README's commands, CI, rebuilt notebooks, no data in git."""

import hashlib
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    def block_after(heading):
        section = readme.split(heading, 1)[1]
        return re.search(r"```bash\n(.+?)\n```", section, flags=re.DOTALL).group(1).strip()

    return block_after("## Start the course"), block_after("## Run all the tests")


def test_readme_gives_the_two_commands():
    setup, tests = _readme_commands()
    assert setup == "pip install -r requirements.txt && jupyter lab"
    assert tests == "pytest"


def test_ci_installs_requirements_and_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -r requirements.txt" in ci
    assert "DLCOURSE_DATA_DIR=" in ci and "shared/data" in ci
    last_command = [line for line in ci.splitlines() if line.strip() and not line.startswith("#")][-1]
    assert last_command.strip() == _readme_commands()[1]


def test_requirements_keep_keras_3_and_modern_pandas_and_install_the_project():
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^tensorflow-cpu>=2\.16", requirements, flags=re.MULTILINE)
    assert re.search(r"^tensorflow>=2\.16", requirements, flags=re.MULTILINE)
    assert re.search(r"^keras>=3", requirements, flags=re.MULTILINE)
    assert re.search(r"^pandas>=2\.2", requirements, flags=re.MULTILINE)
    assert re.search(r"^-e \.$", requirements, flags=re.MULTILINE)


def test_committed_notebooks_match_their_sources():
    result = subprocess.run(
        [sys.executable, "scripts/build_notebooks.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_dataset_file_is_committed():
    registry_hashes = set(re.findall(r'sha256 = "([0-9a-f]{64})"', (ROOT / "data" / "registry.toml").read_text()))
    assert len(registry_hashes) == 9  # 7 files and 2 fallback archives
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        path = ROOT / name
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            assert digest not in registry_hashes, f"{name} is a dataset file: load it through helpers.data instead"
    assert "data/cache/" in (ROOT / ".gitignore").read_text()
