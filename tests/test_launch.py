"""Launch badges, the setup cell every notebook starts with, and quiet TensorFlow start-up.

The badges and the setup cell come from scripts/launch.py, called by the notebook build.
"""

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import build_notebooks  # noqa: E402
import launch  # noqa: E402

SAMPLE = launch.parse_repository("https://github.com/some-teacher/deep-learning-course", "spring-2027")
LINK = re.compile(r"\[!\[Open in (\w+)\]\((https://[^)]+)\)\]\((https://[^)]+)\)")
ANY_LAUNCH_URL = re.compile(r"mybinder\.org/v2|colab\.research\.google\.com/github|kaggle\.com/kernels")
# TensorFlow's C++ start-up lines: absl's pre-init warning, oneDNN, CPU instructions, CUDA
# probing (the GPU build on a CPU machine, as on Colab), any line in either of its log formats.
TF_STARTUP = re.compile(
    r"absl::InitializeLog|oneDNN custom operations|cpu_feature_guard|rebuild TensorFlow with|cuInit|"
    r"^[IWEF]\d{4} \d\d:\d\d:\d\d|^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWEF] ",
    flags=re.MULTILINE,
)


@pytest.fixture(scope="module")
def built_with_sample_address():
    saved = build_notebooks.REPOSITORY
    build_notebooks.REPOSITORY = SAMPLE
    try:
        return build_notebooks.build_all()
    finally:
        build_notebooks.REPOSITORY = saved


def _notebook(text: str):
    return nbformat.reads(text, as_version=4)


def _expected_urls(path: str) -> dict[str, str]:
    return {
        "Binder": f"https://mybinder.org/v2/gh/some-teacher/deep-learning-course/spring-2027?urlpath=lab/tree/{path}",
        "Colab": f"https://colab.research.google.com/github/some-teacher/deep-learning-course/blob/spring-2027/{path}",
        "Kaggle": "https://kaggle.com/kernels/welcome?src="
        f"https://github.com/some-teacher/deep-learning-course/blob/spring-2027/{path}",
    }


def test_every_notebook_starts_with_badges_that_open_itself(built_with_sample_address):
    assert len(built_with_sample_address) >= 20
    for path, text in built_with_sample_address.items():
        relative = path.relative_to(ROOT).as_posix()
        assert relative.startswith("notebooks/") and relative.endswith(".ipynb")
        first = _notebook(text).cells[0]
        assert first.cell_type == "markdown" and launch.BADGE_TAG in first.metadata["tags"]
        links = LINK.findall(first.source)
        assert [platform for platform, _, _ in links] == ["Binder", "Colab", "Kaggle"], first.source
        for platform, image, url in links:
            assert image == launch.BADGE_IMAGES[platform]
            assert url == _expected_urls(relative)[platform], (relative, platform)


def test_url_forms_follow_each_platform():
    urls = launch.launch_urls(SAMPLE, "notebooks/labs/03_sgd_explorer.ipynb")
    assert re.fullmatch(r"https://mybinder\.org/v2/gh/[\w-]+/[\w.-]+/[\w./-]+\?urlpath=lab/tree/notebooks/\S+\.ipynb",
                        urls["Binder"])  # fmt: skip
    assert re.fullmatch(r"https://colab\.research\.google\.com/github/[\w-]+/[\w.-]+/blob/[\w./-]+/notebooks/\S+\.ipynb",
                        urls["Colab"])  # fmt: skip
    assert re.fullmatch(
        r"https://kaggle\.com/kernels/welcome\?src=https://github\.com/[\w-]+/[\w.-]+/blob/[\w./-]+/notebooks/\S+\.ipynb",
        urls["Kaggle"],
    )


def test_readme_badges_open_the_first_notebook_and_stay_between_the_markers(built_with_sample_address):
    readme = launch.README.read_text(encoding="utf-8")
    first = sorted(p for p in built_with_sample_address if p.parent.name == "notebooks")[0]
    updated = launch.updated_readme(readme, SAMPLE, first.relative_to(ROOT).as_posix())
    block = updated.split(launch.README_START, 1)[1].split(launch.README_END, 1)[0]
    links = LINK.findall(block)
    assert [platform for platform, _, _ in links] == ["Binder", "Colab", "Kaggle"]
    assert all(url == _expected_urls(first.relative_to(ROOT).as_posix())[p] for p, _, url in links)
    # Only the block changes, and updating twice changes nothing more.
    assert updated.replace(block, "") == readme.replace(readme.split(launch.README_START, 1)[1].split(
        launch.README_END, 1)[0], "")  # fmt: skip
    assert launch.updated_readme(updated, SAMPLE, first.relative_to(ROOT).as_posix()) == updated


def test_without_an_address_no_badge_is_written_anywhere(capsys):
    saved = build_notebooks.REPOSITORY
    build_notebooks.REPOSITORY = None
    try:
        built = build_notebooks.build_all()
    finally:
        build_notebooks.REPOSITORY = saved
    for path, text in built.items():
        assert not ANY_LAUNCH_URL.search(text), f"{path.name} links to a platform without a repository address"
    readme = launch.updated_readme(launch.README.read_text(encoding="utf-8"), None, "notebooks/x.ipynb")
    assert not ANY_LAUNCH_URL.search(readme)
    assert "[tool.dl-course]" in launch.HOW_TO_SET and "pyproject.toml" in launch.HOW_TO_SET


def test_the_committed_files_match_the_configured_address():
    repository = launch.configured_repository()
    readme = launch.README.read_text(encoding="utf-8")
    committed = [p.read_text(encoding="utf-8") for p in (ROOT / "notebooks").rglob("*.ipynb")]
    if repository is None:
        assert not any(ANY_LAUNCH_URL.search(text) for text in [readme, *committed])
    else:
        assert repository.url in readme and all(repository.url in text for text in committed)


@pytest.mark.parametrize(
    "address", ["github.com/a/b", "https://gitlab.com/a/b", "https://github.com/a", "https://github.com/a/b/tree/x"]
)
def test_an_address_that_is_not_a_github_repository_is_refused(address):
    with pytest.raises(SystemExit, match="not a GitHub address"):
        launch.parse_repository(address)


def test_an_address_is_read_from_pyproject(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.dl-course]\nrepository = "https://github.com/o/r.git"\nbranch = "dev"\n')
    assert launch.configured_repository(pyproject) == launch.Repository("o", "r", "dev")
    pyproject.write_text('[tool.dl-course]\nrepository = ""\n')
    assert launch.configured_repository(pyproject) is None


def test_the_setup_cell_comes_before_every_notebooks_first_code_cell(built_with_sample_address):
    for path, text in built_with_sample_address.items():
        code = [cell for cell in _notebook(text).cells if cell.cell_type == "code"]
        assert code[0].metadata.get("tags") == [launch.SETUP_TAG], path.name
        assert code[0].source == launch.setup_cell_source(SAMPLE)
        assert sum(launch.SETUP_TAG in cell.metadata.get("tags", []) for cell in code) == 1


def test_the_setup_cell_installs_only_the_course_from_the_configured_address():
    source = launch.setup_cell_source(SAMPLE)
    assert '"--branch=spring-2027"' in source and '"https://github.com/some-teacher/deep-learning-course"' in source
    assert '"pip", "install", "-q", "-e", "dl-course"' in source
    (install,) = [line for line in source.splitlines() if '"pip"' in line]
    assert not re.search(r"-U|--upgrade|--force|tensorflow|keras|numpy|pandas|jax", install), install


def _run_setup_cell(source: str, cwd: Path, env: dict, *options: str) -> subprocess.CompletedProcess:
    command = [sys.executable, *options, "-c", source]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_where_the_course_is_installed_the_setup_cell_does_nothing_visible(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for repository in (SAMPLE, None):
        result = _run_setup_cell(launch.setup_cell_source(repository), tmp_path, env)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "" and result.stderr == ""
    assert list(tmp_path.iterdir()) == [], "nothing cloned or written"


def test_without_an_address_and_without_the_course_the_setup_cell_says_how_to_install(tmp_path):
    # -I -S: no PYTHONPATH, no site-packages, so the course is not importable.
    result = _run_setup_cell(launch.setup_cell_source(None), tmp_path, dict(os.environ), "-I", "-S")
    assert result.returncode != 0 and "pip install -r requirements.txt" in result.stderr


PLATFORM_PINS = os.environ.get("DLCOURSE_PLATFORM_PINS")


@pytest.mark.skipif(not PLATFORM_PINS, reason="CI's Colab- and Kaggle-like stages set DLCOURSE_PLATFORM_PINS")
def test_installing_the_course_kept_every_package_the_platform_pins():
    """In CI's platform stages: the course was installed on top of the platform's versions."""
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", Path(PLATFORM_PINS).read_text(), flags=re.MULTILINE))
    assert pins
    # Read in a fresh interpreter: this process's sys.path may have been extended (IPython adds
    # an active virtualenv's packages), a new one sees only what is installed.
    script = (
        "import json, sys, importlib.metadata as m\n"
        "found = {}\n"
        "for name in sys.argv[1:]:\n"
        "    try: found[name] = m.version(name)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(json.dumps(found))\n"
    )
    result = subprocess.run([sys.executable, "-I", "-c", script, *pins], capture_output=True, text=True, check=True)
    installed = json.loads(result.stdout)  # the stage leaves jax out: the course does not use it
    checked = []
    for name, pinned in pins.items():
        if name in installed:
            assert installed[name] == pinned, f"installing the course changed {name} from {pinned} to {installed[name]}"
            checked.append(name)
    assert {"keras", "numpy", "pandas", "ipywidgets"} <= set(checked)


def _executed_outputs(notebook, env: dict) -> str:
    from nbclient import NotebookClient

    client = NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    client.execute(env=env)  # the kernel's environment
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", "") or str(output.get("data", {}).get("text/plain", "")))
    return "\n".join(texts)


def _first_cells_up_to_training(path: Path, keep_setup: bool):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if not keep_setup:
        code = [cell for cell in code if launch.SETUP_TAG not in cell.metadata.get("tags", [])]
    first_fit = next(i for i, cell in enumerate(code) if ".fit(" in cell.source)
    notebook.cells = code[: first_fit + 1]
    return notebook


@pytest.mark.skipif(importlib.util.find_spec("nbclient") is None, reason="needs nbclient")
def test_no_tensorflow_start_up_lines_reach_a_notebook():
    """A lesson's first cells, through its first training, print no TensorFlow start-up line.

    The kernel gets none of the test suite's own settings, as a learner's would not; without
    the setup cell the same cells do print them into the notebook, so this test can see them.
    """
    # Without PYTEST_*: ipykernel forwards C-level output (where TensorFlow logs) to the notebook
    # only outside pytest, as in a learner's JupyterLab.
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TF_", "PYTEST_"))}
    env["PYTHONPATH"] = str(ROOT)
    lesson = next(p for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) if ".fit(" in p.read_text())
    with_setup = _executed_outputs(_first_cells_up_to_training(lesson, keep_setup=True), env)
    assert not TF_STARTUP.search(with_setup), with_setup[:2000]
    if os.environ.get("KERAS_BACKEND", "tensorflow") == "tensorflow":
        without_setup = _executed_outputs(_first_cells_up_to_training(lesson, keep_setup=False), env)
        assert TF_STARTUP.search(without_setup), "the control run printed no start-up line: the test sees nothing"
