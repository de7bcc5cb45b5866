"""scripts/build_site.py prepares the right pages: found notebooks, launch links, banners, stills.

These tests need neither Sphinx nor a browser (tests/test_site.py checks the built site).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def build_site():
    spec = importlib.util.spec_from_file_location("build_site", REPO / "scripts" / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_site"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("build_site", None)


def _notebook(path: Path, *cells) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook(cells=list(cells))
    nbformat.write(notebook, path)


def _nav():
    return nbformat.v4.new_markdown_cell("[🏠 Course home](../README.md)", metadata={"tags": ["navigation"]})


@pytest.fixture
def course(tmp_path, monkeypatch, build_site):
    """A small course: a start page, one lesson, its exercise, solution and lab, and a new folder."""
    notebooks = tmp_path / "notebooks"
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    _notebook(notebooks / "00_start_here.ipynb", md("# Start here\n\nWelcome."))
    _notebook(notebooks / "01_topic.ipynb", _nav(), md("# 1. Topic\n\nSee [the lab](labs/01_lab.ipynb) "
                                                       "and [the README](../README.md) and [a file](../data/x.toml)."),
              code("x = 1"))
    _notebook(notebooks / "exercises" / "01_topic_exercise.ipynb", _nav(), md("# Exercise 1: Topic"), code("x = ____"))
    _notebook(notebooks / "solutions" / "01_topic_solution.ipynb", _nav(), md("# Exercise 1: Topic"), code("x = 1"))
    _notebook(notebooks / "labs" / "01_lab.ipynb", _nav(), md("# Lab 1: Dials"), code("lab = make_lab()\nlab"))
    _notebook(notebooks / "extras" / "99_more.ipynb", md("# More"))
    monkeypatch.setattr(build_site, "NOTEBOOKS", notebooks)
    monkeypatch.setattr(build_site, "ROOT", tmp_path)
    return build_site.discover()


def test_discover_finds_every_kind_of_notebook_in_course_order(course):
    names = [page.docname for page in course]
    # The course path: start, then lesson 1's lesson, lab, exercise and solution; then a new folder.
    assert names == ["00_start_here", "01_topic", "labs/01_lab", "exercises/01_topic_exercise",
                     "solutions/01_topic_solution", "extras/99_more"]
    assert [page.is_start for page in course] == [True, False, False, False, False, False]
    assert course[1].title == "1. Topic"


def test_home_page_navigation_has_start_page_first_and_every_section(course, build_site, monkeypatch, tmp_path):
    (tmp_path / "README.md").write_text("# My course\n\nLearn things.\n\n## Later\n\nNot on the home page.\n")
    home = build_site.home_page(course)
    captions = re.findall(r":caption: (.+)", home)
    assert captions == ["Start here", "Lesson 1: Topic", "Lesson 99", "About"]
    lesson_1 = home.split(":caption: Lesson 1: Topic")[1].split("```")[0].split()
    assert lesson_1 == ["01_topic", "labs/01_lab", "exercises/01_topic_exercise", "solutions/01_topic_solution"]
    assert home.startswith("# My course\n\nLearn things.") and "Not on the home page" not in home
    assert "[Exercise 1](exercises/01_topic_exercise.ipynb)" in home and "[Lab 1](labs/01_lab.ipynb)" in home


def _staged(build_site, pages, docname, settings=None):
    page = next(p for p in pages if p.docname == docname)
    return nbformat.reads(build_site.stage_notebook(page, pages, settings), as_version=4)


def test_exercise_page_is_blank_unexecuted_and_links_to_its_solution(course, build_site):
    notebook = _staged(build_site, course, "exercises/01_topic_exercise")
    assert notebook.metadata["mystnb"] == {"execution_mode": "off"}
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "README" not in text, "the notebook's own navigation bar is replaced by the site's"
    assert "[solution page](../solutions/01_topic_solution.ipynb)" in text
    assert "x = ____" in text and "_course_site_stills" not in text


def test_solution_page_has_its_own_title_and_runs_the_still_setup_first(course, build_site):
    notebook = _staged(build_site, course, "solutions/01_topic_solution")
    assert "mystnb" not in notebook.metadata
    assert notebook.cells[0].metadata["tags"] == ["remove-cell"] and "_course_site_stills" in notebook.cells[0].source
    titles = [c.source for c in notebook.cells if c.cell_type == "markdown" and c.source.startswith("# ")]
    assert titles == ["# Exercise 1: Topic (solutions)"]
    assert any("[blank exercise](../exercises/01_topic_exercise.ipynb)" in c.source for c in notebook.cells)


def test_links_to_files_outside_the_site_are_rewritten(course, build_site):
    lesson = "\n".join(c.source for c in _staged(build_site, course, "01_topic").cells)
    assert "[the lab](labs/01_lab.ipynb)" in lesson
    assert "[the README](index.md)" in lesson
    assert "a file" in lesson and "../data/x.toml" not in lesson  # no repository: plain text
    lesson = "\n".join(c.source for c in _staged(build_site, course, "01_topic", ("me/course", "dev")).cells)
    assert "[a file](https://github.com/me/course/blob/dev/data/x.toml)" in lesson
    assert "[Open in Binder](https://mybinder.org/v2/gh/me/course/dev?" in lesson and "notebooks/01_topic.ipynb" in lesson


def test_lab_stills_get_their_page_s_live_link_after_the_build(course, build_site, monkeypatch, tmp_path):
    monkeypatch.setattr(build_site, "SITE", tmp_path / "site")
    lab = next(p for p in course if p.docname == "labs/01_lab")
    built = tmp_path / "site" / "labs" / "01_lab.html"
    built.parent.mkdir(parents=True)
    built.write_text(f'<a href="{build_site.LIVE_URL}">{build_site.LIVE_LABEL}</a>')
    build_site.fill_live_links([lab], None)
    assert built.read_text() == ('<a href="../_sources/labs/01_lab.ipynb">'
                                 "Download this lab&#x27;s notebook and open it in Jupyter</a>")


def test_lab_page_links_to_the_live_lab(course, build_site):
    text = "\n".join(c.source for c in _staged(build_site, course, "labs/01_lab").cells)
    assert 'class="lab-live-link" href="../_sources/labs/01_lab.ipynb">Download' in text
    text = "\n".join(c.source for c in _staged(build_site, course, "labs/01_lab", ("me/course", "main")).cells)
    assert re.search(r'class="lab-live-link" href="https://mybinder\.org/v2/gh/me/course/main\?[^"]*'
                     r'notebooks/labs/01_lab\.ipynb">Open this lab live on Binder', text)


@pytest.mark.parametrize("table, expected", [
    ("", None),
    ('[tool.dl-course]\nrepository = ""\nbranch = "main"\n', None),
    ('[tool.dl-course]\nrepository = "https://github.com/me/course"\n', ("me/course", "main")),
    ('[tool.dl-course]\nrepository = "https://github.com/me/course.git"\nbranch = "dev"\n', ("me/course", "dev")),
])
def test_launch_settings_come_from_pyproject(tmp_path, build_site, table, expected):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n' + table)
    assert build_site.launch_settings(pyproject) == expected


def test_a_repository_address_that_is_not_on_github_stops_the_build(tmp_path, build_site):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.dl-course]\nrepository = "me/course"\n')
    with pytest.raises(SystemExit, match="GitHub address"):
        build_site.launch_settings(pyproject)


def test_launch_links_open_the_notebook_on_binder_colab_and_kaggle(build_site):
    links = dict(build_site.launch_links("notebooks/labs/01_lab.ipynb", ("me/course", "main")))
    assert set(links) == {"Binder", "Colab", "Kaggle"}
    assert links["Binder"].startswith("https://mybinder.org/v2/gh/me/course/main?")
    assert links["Binder"].endswith("notebooks/labs/01_lab.ipynb")
    assert links["Colab"] == "https://colab.research.google.com/github/me/course/blob/main/notebooks/labs/01_lab.ipynb"
    assert links["Kaggle"].startswith("https://kaggle.com/kernels/welcome?src=")
    assert "github.com/me/course/blob/main/notebooks/labs/01_lab.ipynb" in links["Kaggle"]
    assert build_site.launch_links("notebooks/x.ipynb", None) == []


def test_the_still_setup_shows_a_lab_as_its_picture_with_alt_text(build_site, monkeypatch):
    ipywidgets = pytest.importorskip("ipywidgets")
    from helpers.widgets.base import Lab, new_figure

    monkeypatch.setattr(ipywidgets.Widget, "_repr_mimebundle_", ipywidgets.Widget._repr_mimebundle_)
    figure = new_figure()
    figure.add_subplot().plot([0, 1], [0, 1])
    lab = Lab(figure)
    lab.redraw(alt="A rising straight line from 0 to 1.")
    exec(compile(build_site.STILL_CELL, "still-cell", "exec"), {})

    bundle = lab._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}, "no widget view that a static page cannot show"
    assert 'alt="A rising straight line from 0 to 1."' in bundle["text/html"]
    assert 'src="data:image/png;base64,' in bundle["text/html"]
    assert f'<a href="{build_site.LIVE_URL}">{build_site.LIVE_LABEL}</a>' in bundle["text/html"]
    assert ipywidgets.IntSlider()._repr_mimebundle_() == {
        "text/plain": "(An interactive control: it works when the notebook runs live.)"}


def test_credits_list_every_dataset_of_the_registry(build_site):
    registry = build_site.tomllib.loads((REPO / "data" / "registry.toml").read_text(encoding="utf-8"))
    page = build_site.credits_page()
    for entry in registry.values():
        assert f"### {entry['title']}" in page
        assert entry["licence"] in page and entry["citation"] in page and entry["upstream"] in page
    assert "## Course material" in page and "Kaggle Learn" in page  # the README's credits
