"""The project keeps its promises: the README's commands, CI, rebuilt notebooks, no data in git."""

import hashlib
import re
import subprocess
import sys
from pathlib import Path

from course_parts import dataset_registry

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
    # The README's command is the first test run; later stages (platform environments) come after it.
    test_runs = [line.strip() for line in ci.splitlines() if re.match(r"\s*(\S+/)?(python -m )?pytest\b", line)]
    assert test_runs and test_runs[0] == _readme_commands()[1]


def test_requirements_keep_keras_3_and_modern_pandas_and_install_the_project():
    import tomllib

    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    # requirements.txt installs the project itself (editable) with its TensorFlow backend; the
    # version bounds live in pyproject.toml.
    assert re.search(r"^-e \.\[[^\]]*\btensorflow\b[^\]]*\]$", requirements, flags=re.MULTILINE)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dependencies = " ".join(project["dependencies"])
    assert re.search(r"\bkeras>=3", dependencies) and re.search(r"\bpandas>=2\.2", dependencies)
    backend = " ".join(project["optional-dependencies"]["tensorflow"])
    assert re.search(r"\btensorflow-cpu>=2\.(1[6-9]|[2-9]\d)", backend)
    assert re.search(r"(^|\s|,)tensorflow>=2\.(1[6-9]|[2-9]\d)", backend)


def test_committed_notebooks_match_their_sources():
    result = subprocess.run(
        [sys.executable, "scripts/build_notebooks.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_dataset_file_is_committed():
    registry = dataset_registry()
    registry_hashes = {entry["sha256"] for entry in registry.values()}
    registry_hashes |= {entry["fallback"]["sha256"] for entry in registry.values() if "fallback" in entry}
    assert len(registry_hashes) == len(registry) + sum("fallback" in entry for entry in registry.values())
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        path = ROOT / name
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            assert digest not in registry_hashes, f"{name} is a dataset file: load it through helpers.data instead"
    assert "data/cache/" in (ROOT / ".gitignore").read_text()


# --- navigation: start here, then each lesson, its lab, its exercise ---------------------------

NAV_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def _navigation_links(path: Path) -> list[tuple[str, Path]]:
    """(text, resolved target) of every link in the notebook's navigation cells, top bar first."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    links = []
    for cell in notebook.cells:
        if "navigation" in cell.get("metadata", {}).get("tags", []):
            for text, target in NAV_LINK.findall(cell.source):
                links.append((text, (path.parent / target).resolve()))
    return links


def _next_step(path: Path) -> Path | None:
    targets = {target for text, target in _navigation_links(path) if text.startswith("Next:")}
    assert len(targets) <= 1, f"{path.name} has several different Next links: {targets}"
    return targets.pop() if targets else None


START = (ROOT / "notebooks" / "00_start_here.ipynb").resolve()


def _course_notebooks():
    return sorted(p.resolve() for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def test_every_navigation_link_works_and_course_home_is_the_start_page():
    assert START.exists()
    for path in _course_notebooks():
        links = _navigation_links(path)
        assert links or path == START, f"{path.name} has no navigation"
        for text, target in links:
            assert target.exists(), f"{path.name}: the link {text!r} leads to a missing file {target}"
            assert target.suffix == ".ipynb", f"{path.name}: {text!r} leads to {target.name}, not a notebook"
        homes = [target for text, target in links if "Course home" in text]
        if path != START:
            assert homes and set(homes) == {START}, f"{path.name}: 'Course home' must open 00_start_here.ipynb"


def test_next_links_lead_along_lesson_lab_exercise_through_every_notebook():
    expected = []
    for lesson in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        if lesson.resolve() == START:
            continue
        stem = lesson.stem
        expected.append(lesson.resolve())
        expected += sorted(p.resolve() for p in (ROOT / "notebooks" / "labs").glob(f"{stem[:2]}_*.ipynb"))
        expected += [(ROOT / "notebooks" / "exercises" / f"{stem}_exercise.ipynb").resolve()]
    walked, here = [], START
    while True:
        following = _next_step(here)
        if following is None:
            break
        assert following not in walked, f"the Next links loop back to {following.name}"
        walked.append(following)
        here = following
    assert [p for p in walked if p.exists()] == [p for p in expected if p.exists()]
    last_links = _navigation_links(walked[-1])
    assert any(target == START for text, target in last_links), "the last step leads back to course home"
    on_path = {START, *walked}
    off_path = {p for p in _course_notebooks() if p not in on_path}
    assert all(p.parent.name == "solutions" for p in off_path), f"notebooks no Next link reaches: {off_path}"


def test_an_exercise_links_to_its_solution_and_the_solution_leads_on():
    for exercise in sorted((ROOT / "notebooks" / "exercises").glob("*_exercise.ipynb")):
        solution = (ROOT / "notebooks" / "solutions" / exercise.name.replace("_exercise", "_solution")).resolve()
        assert solution in {target for _, target in _navigation_links(exercise)}, f"{exercise.name} does not link its solution"
        assert exercise.resolve() in {target for _, target in _navigation_links(solution)}
        assert _next_step(solution) == _next_step(exercise)


def test_the_start_page_shows_the_path_the_checks_the_environment_and_progress():
    import nbformat

    notebook = nbformat.read(START, as_version=4)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert "environment.check()" in code and "progress.show()" in code
    for words in ["q1.hint(2)", "q1.solution()", "check(answer)", "open challenge", "Lesson", "Lab", "Exercise"]:
        assert words in text, f"the start page does not explain {words!r}"
    for lesson in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"):
        if lesson.resolve() == START:
            continue
        assert f"]({lesson.name})" in text, f"the start page's course map misses {lesson.name}"
