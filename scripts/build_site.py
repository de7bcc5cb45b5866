"""Build the course website into build/site/ from the notebooks, executed, with their outputs.

    python scripts/build_site.py              # build (re-executes only notebooks whose code changed)
    python scripts/build_site.py --no-cache   # forget every cached execution first, run everything
    python scripts/build_site.py --clean      # also forget the previous pages (a full rebuild)
    python scripts/build_site.py -j 2         # run two notebooks at a time

Sphinx with MyST-NB does the work; its configuration is website/conf.py. This script only
prepares what Sphinx reads, in build/site-src/:

* every notebook found under notebooks/ (the start page, lessons, exercises, solutions, labs and
  any other folder), found by looking, not listed here, with the notebooks' own navigation bar
  replaced by the site's (sidebar, previous/next) and a line of launch links where
  ``[tool.dl-course]`` in pyproject.toml gives a repository address;
* blank exercises are shown as they are, not executed, with a link to their solution page;
* labs are executed, but their widgets need a live kernel: each lab is shown as a still picture
  of its starting state (the lab's own figure and alt text), with an "open this lab live" link;
* a home page listing the course, and a data credits page generated from data/registry.toml.

Executed notebooks are cached (MyST-NB's jupyter-cache, in build/jupyter-cache/): a notebook is
executed again only when one of its code cells changes. Datasets come from helpers.data, so set
DLCOURSE_DATA_DIR for an offline build. The downloadable ``.ipynb`` of each page is the course's
notebook itself, unchanged.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import nbformat

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))  # scripts/launch.py, when present
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
STAGE = BUILD / "site-src"  # what Sphinx reads
SITE = BUILD / "site"  # the website
DOCTREES = BUILD / "site-doctrees"  # Sphinx's memory between builds
CACHE = BUILD / "jupyter-cache"  # executed notebooks (MyST-NB's jupyter-cache)
CONFDIR = ROOT / "website"

NAV_TAG = "navigation"  # the notebooks' own navigation bar (scripts/build_notebooks.py)
# Cells the site replaces with its own version: the notebook navigation, and a launch-badge cell
# (badge images served from other sites would not load offline, and the site has its own links).
DROPPED_TAGS = {NAV_TAG, "launch-badges"}
# Run but not shown: the cell that installs the course on Colab or Kaggle (scripts/launch.py).
HIDDEN_TAGS = {"platform-setup"}
BLANK = "____"  # what a learner replaces in an exercise

# The navigation follows the course path: the start page, then for each lesson number its
# lesson, lab, exercise and solution (any other folder of notebooks/ after those), then pages
# without a number.
SECTION_ORDER = ["", "labs", "exercises", "solutions"]

# Run in every executed notebook before its own cells (hidden on the page). Widgets cannot work
# without a live kernel, so a widget that has a picture (a course lab: ``png`` and ``alt``) shows
# that picture as a still, with its alt text and a link to open the lab live; any other widget
# shows one line of text instead of a broken placeholder. The cell is the same in every notebook
# (so changing the launch setting does not make the execution cache run everything again): the
# link's address and words are filled in on each page after the build (``fill_live_links``).
LIVE_URL, LIVE_LABEL = "__COURSE_SITE_LIVE_URL__", "__COURSE_SITE_LIVE_LABEL__"
STILL_CELL = f'''\
# Site build only (scripts/build_site.py): widgets need a live kernel, so they show as stills.
def _course_site_stills():
    import base64
    import html

    import ipywidgets

    def _still(self, include=None, exclude=None, **kwargs):
        png, alt = getattr(self, "png", None), getattr(self, "alt", None)
        if png is None or alt is None:
            return {{"text/plain": "(An interactive control: it works when the notebook runs live.)"}}
        if not png:  # nothing drawn yet: draw the figure in its current state
            from helpers.widgets.base import figure_png
            png = figure_png(self.figure)
        alt = alt or "The lab's figure in its starting state."
        encoded = base64.b64encode(png).decode("ascii")
        readout = getattr(getattr(self, "readout", None), "value", "") or ""
        page = (f'<figure class="lab-still"><img src="data:image/png;base64,{{encoded}}" '
                f'alt="{{html.escape(alt, quote=True)}}"/>'
                + (f'<div class="lab-readout">{{readout}}</div>' if readout else "")
                + '<figcaption>A still picture of the lab in its starting state. '
                '<a href="{LIVE_URL}">{LIVE_LABEL}</a> to move its controls.</figcaption></figure>')
        return {{"text/html": page, "text/plain": f"[Lab: {{alt}}]"}}

    ipywidgets.Widget._repr_mimebundle_ = _still


_course_site_stills()
del _course_site_stills
'''


@dataclass
class Page:
    notebook: Path  # under notebooks/
    section: str  # "" for top-level notebooks, else the folder name
    title: str

    @property
    def relative(self) -> Path:
        return self.notebook.relative_to(NOTEBOOKS)

    @property
    def docname(self) -> str:
        return self.relative.with_suffix("").as_posix()

    @property
    def is_start(self) -> bool:
        return self.section == "" and (self.notebook.name.startswith("00_") or "start" in self.notebook.stem)

    @property
    def is_exercise(self) -> bool:
        return self.section == "exercises"


def _lesson_number(page: Page) -> str:
    """'03' for 03_topic.ipynb, exercises/03_topic_exercise.ipynb...; '' without a number."""
    match = re.match(r"(\d\d)_", page.notebook.name)
    return match.group(1) if match else ""


# --------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------


def launch_settings(pyproject: Path = ROOT / "pyproject.toml") -> tuple[str, str] | None:
    """``(owner/name, branch)`` from ``[tool.dl-course]`` in pyproject.toml, or None if unset.

    The same setting the notebooks' launch badges come from (scripts/launch.py, used when it is
    there): ``repository = "https://github.com/OWNER/REPO"`` and ``branch`` (default ``main``).
    """
    try:
        import launch  # scripts/launch.py: the notebooks' own reading of the setting
    except ImportError:
        launch = None
    if launch is not None and hasattr(launch, "configured_repository"):
        found = launch.configured_repository(pyproject)
        return None if found is None else (f"{found.owner}/{found.name}", found.branch)
    settings = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("dl-course", {})
    address = (settings.get("repository") or "").strip()
    if not address:
        return None
    match = re.fullmatch(r"https://github\.com/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?/?", address)
    if not match:
        raise SystemExit(f"[tool.dl-course] repository = {address!r} in pyproject.toml is not a GitHub address "
                         'like "https://github.com/OWNER/REPO".')
    return f"{match.group(1)}/{match.group(2)}", (settings.get("branch") or "main").strip()


def launch_links(page_path: str, settings: tuple[str, str] | None) -> list[tuple[str, str]]:
    """``[(platform, url)]`` that open the notebook ``page_path`` (repository-relative) live:
    Binder, Colab and Kaggle, the same addresses as the notebooks' badges."""
    if settings is None:
        return []
    repo, branch = settings
    try:
        import launch
    except ImportError:
        launch = None
    if launch is not None and hasattr(launch, "launch_urls"):
        owner, name = repo.split("/")
        return list(launch.launch_urls(launch.Repository(owner, name, branch), page_path).items())
    path = quote(page_path)
    return [
        ("Binder", f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{path}"),
        ("Colab", f"https://colab.research.google.com/github/{repo}/blob/{branch}/{path}"),
        ("Kaggle", f"https://kaggle.com/kernels/welcome?src=https://github.com/{repo}/blob/{branch}/{path}"),
    ]


# --------------------------------------------------------------------------------------
# Finding the notebooks
# --------------------------------------------------------------------------------------


def _title(notebook) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and NAV_TAG not in cell.metadata.get("tags", []):
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.MULTILINE)
            if match:
                return match.group(1).strip()
    return ""


def discover() -> list[Page]:
    """Every notebook under notebooks/, in the order of the course path."""
    pages = []
    for path in sorted(NOTEBOOKS.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        relative = path.relative_to(NOTEBOOKS)
        section = relative.parts[0] if len(relative.parts) > 1 else ""
        notebook = nbformat.read(path, as_version=4)
        pages.append(Page(path, section, _title(notebook) or path.stem.replace("_", " ")))

    def position(page: Page):
        number = _lesson_number(page)
        kind = SECTION_ORDER.index(page.section) if page.section in SECTION_ORDER else len(SECTION_ORDER)
        return (not page.is_start, number == "", number, kind, page.section, page.relative.as_posix())

    return sorted(pages, key=position)


def solution_of(page: Page, pages: list[Page]) -> Page | None:
    """The solution page of an exercise page (NN_topic_exercise -> NN_topic_solution)."""
    wanted = page.notebook.stem.removesuffix("_exercise") + "_solution"
    return next((p for p in pages if p.section == "solutions" and p.notebook.stem == wanted), None)


def exercise_of(page: Page, pages: list[Page]) -> Page | None:
    wanted = page.notebook.stem.removesuffix("_solution") + "_exercise"
    return next((p for p in pages if p.section == "exercises" and p.notebook.stem == wanted), None)


def _relative_link(target: Page, here: Page) -> str:
    return Path(os.path.relpath(target.relative, here.relative.parent)).as_posix()


# --------------------------------------------------------------------------------------
# Preparing each notebook for the site
# --------------------------------------------------------------------------------------

_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\(([^)\s]+)\)")


def _fix_links(text: str, here: Page, known: set[str], settings) -> str:
    """Links to notebooks stay (Sphinx resolves them); links to the README go to the home page;
    links to other repository files go to the repository, or become plain text without one."""

    def replace(match: re.Match) -> str:
        label, target = match.groups()
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#", target, flags=re.IGNORECASE):
            return match.group(0)  # an address with a scheme, or an anchor on this page
        path_part, _, anchor = target.partition("#")
        resolved = (here.notebook.parent / path_part).resolve()
        try:
            in_notebooks = resolved.relative_to(NOTEBOOKS).as_posix()
        except ValueError:
            in_notebooks = None
        if in_notebooks in known:
            return match.group(0)
        if resolved == ROOT / "README.md":
            home = Path(os.path.relpath("index.md", here.relative.parent)).as_posix()
            return f"[{label}]({home})"
        try:
            in_repo = resolved.relative_to(ROOT).as_posix()
        except ValueError:
            return label
        if settings is not None:
            repo, branch = settings
            return f"[{label}](https://github.com/{repo}/blob/{quote(branch)}/{quote(in_repo)})"
        return label

    return _LINK.sub(replace, text)


def _launch_line(page: Page, settings) -> str:
    links = launch_links(f"notebooks/{page.relative.as_posix()}", settings)
    if not links:
        return ""
    items = " · ".join(f"[Open in {label}]({url})" for label, url in links)
    return f"**Run this notebook live:** {items}"


def _live_link(page: Page, settings) -> tuple[str, str]:
    """Where "open this lab live" goes: Binder if configured, else the notebook's download."""
    what = "lab" if page.section == "labs" else "notebook"
    links = launch_links(f"notebooks/{page.relative.as_posix()}", settings)
    if links:
        return links[0][1], f"Open this {what} live on {links[0][0]}"
    download = Path(os.path.relpath(Path("_sources") / page.relative, page.relative.parent)).as_posix()
    return download, f"Download this {what}'s notebook and open it in Jupyter"


def stage_notebook(page: Page, pages: list[Page], settings) -> str:
    """The notebook as the site shows it, as file text."""
    notebook = nbformat.read(page.notebook, as_version=4)
    known = {p.relative.as_posix() for p in pages}
    cells = []
    for cell in notebook.cells:
        tags = set(cell.metadata.get("tags", []))
        if tags & DROPPED_TAGS:
            continue
        if cell.cell_type == "markdown":
            cell.source = _fix_links(cell.source, page, known, settings)
        if tags & HIDDEN_TAGS:
            cell.metadata["tags"] = sorted(tags | {"remove-cell"})
        cells.append(cell)
    if page.section == "solutions":
        # Not the same title as the blank exercise in the navigation and the search results.
        for cell in cells:
            if cell.cell_type == "markdown" and re.search(r"^#\s", cell.source, flags=re.MULTILINE):
                cell.source = re.sub(r"^(#\s+.+?)\s*$", r"\1 (solutions)", cell.source, count=1,
                                     flags=re.MULTILINE)
                break

    banner = []
    launch = _launch_line(page, settings)
    if launch:
        banner.append(launch)
    if page.is_exercise:
        solution = solution_of(page, pages)
        text = (f"**This is the blank exercise**, shown without running it: every `{BLANK}` is a gap for "
                "you to fill in. Run it live to get your answers checked.")
        if solution is not None:
            text += f" The worked answers are on the [solution page]({_relative_link(solution, page)})."
        banner.append(text)
    elif page.section == "solutions":
        exercise = exercise_of(page, pages)
        if exercise is not None:
            banner.append(f"**Worked solutions.** Try the [blank exercise]({_relative_link(exercise, page)}) "
                          "first: you learn far more from a wrong attempt than from reading an answer.")
    elif page.section == "labs":
        url, label = _live_link(page, settings)
        banner.append(
            "**This lab is interactive.** Its sliders and buttons need Python running behind them, which a "
            "web page does not have, so this page shows a still picture of each lab in its starting state. "
            f'<a class="lab-live-link" href="{url}">{label}</a> to play with it.'
        )
    if banner:
        at = next((i + 1 for i, c in enumerate(cells) if c.cell_type == "markdown"
                   and re.search(r"^#\s", c.source, flags=re.MULTILINE)), 0)
        cells.insert(at, nbformat.v4.new_markdown_cell("\n\n".join(banner), metadata={"tags": ["site-banner"]}))

    if not page.is_exercise:
        cells.insert(0, nbformat.v4.new_code_cell(STILL_CELL, metadata={"tags": ["remove-cell"]}))

    for index, cell in enumerate(cells):
        cell["id"] = f"s{index:03d}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.cells = cells
    if page.is_exercise:
        # Shown as written: the blanks are not code that runs.
        notebook.metadata["mystnb"] = {"execution_mode": "off"}
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


# --------------------------------------------------------------------------------------
# Generated pages: home and data credits
# --------------------------------------------------------------------------------------


def _readme_intro() -> tuple[str, str]:
    """The README's title and its opening paragraphs (text only, no badges)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    title_match = re.search(r"^#\s+(.+)$", text, flags=re.MULTILINE)
    title = title_match.group(1).strip() if title_match else "Introduction to Deep Learning"
    body = text[title_match.end():] if title_match else text
    body = body.split("\n## ", 1)[0]
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    keep = [p for p in paragraphs if "![" not in p and "<img" not in p and not p.startswith(("[!", "<"))]
    return title, "\n\n".join(keep)


def _caption(page: Page, pages: list[Page]) -> str:
    """The navigation heading a page sits under: 'Start here', 'Lesson 3: ...' or its folder."""
    if page.is_start:
        return "Start here"
    number = _lesson_number(page)
    if number:
        lesson = next((p for p in pages if p.section == "" and not p.is_start and _lesson_number(p) == number), None)
        topic = re.sub(r"^(?:lesson\s*)?\d+\s*[.:]\s*", "", lesson.title, flags=re.IGNORECASE) if lesson else ""
        return f"Lesson {int(number)}: {topic}" if topic else f"Lesson {int(number)}"
    return page.section.replace("_", " ").capitalize() if page.section else "More"


def home_page(pages: list[Page]) -> str:
    title, intro = _readme_intro()
    lines = [f"# {title}", "", intro, ""]
    start = [p for p in pages if p.is_start]
    if start:
        lines += [f"**New here?** Begin with [{start[0].title}]({start[0].relative.as_posix()}).", ""]
    lessons = [p for p in pages if p.section == "" and not p.is_start]
    by_number: dict[tuple[str, str], Page] = {(p.section, _lesson_number(p)): p for p in pages}
    if lessons:
        lines += ["## The course", "",
                  "| Lesson | Exercise | Solution | Lab |", "|---|---|---|---|"]
        for lesson in lessons:
            number = _lesson_number(lesson)
            row = [f"[{lesson.title}]({lesson.relative.as_posix()})"]
            for section, label in (("exercises", "Exercise"), ("solutions", "Solution"), ("labs", "Lab")):
                other = by_number.get((section, number))
                row.append(f"[{label} {int(number)}]({other.relative.as_posix()})" if other and number else "")
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    lines += [
        "Every page is one of the course's notebooks, run from top to bottom with its outputs. "
        "Exercises are shown blank; their worked answers are on the solution pages. The labs need a "
        "live Python kernel: their pages show a still picture and how to open them live.",
        "",
        "The datasets, their authors and licenses are listed in the [credits](credits.md).",
        "",
    ]
    # The navigation (sidebar, previous/next): one table of contents per lesson, in course order.
    groups: dict[str, list[Page]] = {}
    for page in pages:
        groups.setdefault(_caption(page, pages), []).append(page)
    for caption, members in groups.items():
        lines += ["```{toctree}", ":hidden:", f":caption: {caption}", ""]
        lines += [p.docname for p in members]
        lines += ["```", ""]
    lines += ["```{toctree}", ":hidden:", ":caption: About", "", "credits", "```", ""]
    return "\n".join(lines)


def credits_page(registry: Path = ROOT / "data" / "registry.toml") -> str:
    """The credits page: the README's credits for the course material, then every dataset of
    data/registry.toml with its source, license and citation."""
    datasets = tomllib.loads(registry.read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8") if (ROOT / "README.md").exists() else ""
    course_credits = re.search(r"^## Credits\s*\n(.*?)(?=^##)", readme + "\n##", flags=re.MULTILINE | re.DOTALL)
    lines = ["# Credits", ""]
    if course_credits and course_credits.group(1).strip():
        # Links to repository files would not exist on the site: keep their text only.
        prose = re.sub(r"(?<!!)\[([^\]\n]+)\]\((?![a-z]+:)[^)]*\)", r"\1", course_credits.group(1).strip())
        lines += ["## Course material", "", prose, ""]
    lines += ["## Data", "",
              "The course learns from real, openly published data: thank you to the people who collected "
              "and shared it. The course downloads each file from a pinned copy and checks it against a "
              "fixed fingerprint before use; the source below is where its authors published it.", ""]
    for name, entry in datasets.items():
        if not isinstance(entry, dict) or "file" not in entry:
            continue
        lines += [f"### {entry.get('title', name)}", ""]
        if entry.get("upstream"):
            lines.append(f"- **Source:** <{entry['upstream']}>")
        lines.append(f"- **License:** {entry.get('licence') or entry.get('license') or 'not stated'}")
        if entry.get("citation"):
            lines.append(f"- **Cite as:** {entry['citation']}")
        lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------


def _write_if_changed(path: Path, text: str) -> bool:
    """Write ``text``; leave the file (and its time stamp) alone if it already holds it, so Sphinx
    reads again only the pages that changed."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def stage(pages: list[Page], settings) -> int:
    wanted: dict[Path, str] = {}
    for page in pages:
        wanted[STAGE / page.relative] = stage_notebook(page, pages, settings)
    wanted[STAGE / "index.md"] = home_page(pages)
    wanted[STAGE / "credits.md"] = credits_page()
    changed = sum(_write_if_changed(path, text) for path, text in wanted.items())
    for path in list(STAGE.rglob("*")):
        if path.is_file() and path not in wanted:
            path.unlink()  # its notebook is gone
    return changed


def sphinx_build(jobs: str) -> int:
    from sphinx.cmd.build import build_main

    # -a: write every page, because a change of the navigation (a new notebook) shows on all of them.
    return build_main(["-b", "html", "-a", "-c", str(CONFDIR), "-d", str(DOCTREES), "-j", jobs,
                       "--keep-going", "-q", str(STAGE), str(SITE)])


def fill_live_links(pages: list[Page], settings) -> None:
    """Put each page's own "open live" address and words into its lab stills."""
    for page in pages:
        html_page = SITE / page.relative.with_suffix(".html")
        if not html_page.exists():
            continue
        text = html_page.read_text(encoding="utf-8")
        if LIVE_URL not in text:
            continue
        url, label = _live_link(page, settings)
        text = text.replace(LIVE_URL, html.escape(url, quote=True)).replace(LIVE_LABEL, html.escape(label))
        html_page.write_text(text, encoding="utf-8")


def publish_notebooks(pages: list[Page]) -> None:
    """The page's download button (and a lab's "download" link) gives the course's notebook as
    learners use it, not the copy prepared for the site."""
    for page in pages:
        target = SITE / "_sources" / page.relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page.notebook, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-cache", action="store_true", help="forget cached executions first")
    parser.add_argument("--clean", action="store_true", help="rebuild every page from scratch (keeps the "
                        "execution cache unless --no-cache)")
    parser.add_argument("-j", "--jobs", default="1", help="Sphinx's parallel jobs (default 1)")
    args = parser.parse_args(argv)
    started = time.monotonic()

    if args.no_cache:
        shutil.rmtree(CACHE, ignore_errors=True)
    if args.clean or args.no_cache:
        for folder in (STAGE, SITE, DOCTREES):
            shutil.rmtree(folder, ignore_errors=True)
    # The notebooks' kernels import this checkout's helpers.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start-up notes out of the log
    if not os.environ.get("DLCOURSE_DATA_DIR"):
        print("note: DLCOURSE_DATA_DIR is not set; datasets are downloaded if not cached", file=sys.stderr)

    settings = launch_settings()
    pages = discover()
    if not pages:
        print("no notebooks found under notebooks/: run scripts/build_notebooks.py", file=sys.stderr)
        return 1
    changed = stage(pages, settings)
    print(f"{len(pages)} notebooks found, {changed} site sources changed; launch links: "
          f"{'github.com/' + settings[0] + ' @ ' + settings[1] if settings else 'none (no [tool.dl-course] repository)'}")
    status = sphinx_build(args.jobs)
    if status == 0:
        fill_live_links(pages, settings)
        publish_notebooks(pages)
        (SITE / ".nojekyll").touch()  # GitHub Pages: serve _static/ and _sources/ as they are
        print(f"site built in {time.monotonic() - started:.0f} s: {SITE.relative_to(ROOT)}/index.html "
              f"(serve it with: python -m http.server -d {SITE.relative_to(ROOT)})")
    return status


if __name__ == "__main__":
    sys.exit(main())
