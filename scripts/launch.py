"""Launch badges (Binder, Colab, Kaggle) and the setup cell that makes every notebook run there.

``scripts/build_notebooks.py`` calls this module. Everything comes from one setting in
``pyproject.toml``:

    [tool.dl-course]
    repository = "https://github.com/OWNER/REPO"
    branch = "main"

With an address, every notebook starts with a row of "open in" badges for that notebook, the
README gets the same row for the course's first notebook (between the two markers below), and
the setup cell installs the course from that address on Colab and Kaggle. Without one, no
badge is written anywhere and the build says how to set it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import nbformat

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
README = ROOT / "README.md"
README_START = "<!-- launch-badges:start (written by scripts/build_notebooks.py) -->"
README_END = "<!-- launch-badges:end -->"
BADGE_TAG = "launch-badges"
SETUP_TAG = "platform-setup"
CLONE_FOLDER = "dl-course"

HOW_TO_SET = (
    "No launch badges: the repository's public address is not set. To add Binder, Colab and "
    'Kaggle badges, set repository = "https://github.com/OWNER/REPO" (and branch) under '
    "[tool.dl-course] in pyproject.toml, then run python scripts/build_notebooks.py."
)

BADGE_IMAGES = {
    "Binder": "https://mybinder.org/badge_logo.svg",
    "Colab": "https://colab.research.google.com/assets/colab-badge.svg",
    "Kaggle": "https://kaggle.com/static/images/open-in-kaggle.svg",
}


@dataclass(frozen=True)
class Repository:
    """A public GitHub repository and the branch the badges open."""

    owner: str
    name: str
    branch: str

    @property
    def url(self) -> str:
        return f"https://github.com/{self.owner}/{self.name}"


def parse_repository(address: str, branch: str = "main") -> Repository | None:
    """The repository at ``address`` (``https://github.com/OWNER/REPO``), or None if it is empty."""
    address = (address or "").strip()
    if not address:
        return None
    match = re.fullmatch(r"https://github\.com/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?/?", address)
    if not match:
        raise SystemExit(
            f"[tool.dl-course] repository = {address!r} in pyproject.toml is not a GitHub address like "
            '"https://github.com/OWNER/REPO" (Binder, Colab and Kaggle open notebooks from GitHub).'
        )
    branch = (branch or "main").strip()
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", branch):
        raise SystemExit(f"[tool.dl-course] branch = {branch!r} in pyproject.toml is not a branch name.")
    return Repository(match.group(1), match.group(2), branch)


def configured_repository(pyproject: Path = PYPROJECT) -> Repository | None:
    """The repository set in ``pyproject.toml`` under ``[tool.dl-course]``, or None."""
    settings = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("dl-course", {})
    return parse_repository(settings.get("repository", ""), settings.get("branch", "main"))


def launch_urls(repository: Repository, path: str) -> dict[str, str]:
    """Where each platform opens the file at ``path`` (relative to the repository's root)."""
    path = quote(path)
    on_github = f"{repository.url}/blob/{repository.branch}/{path}"
    return {
        # Binder builds the image from binder/, then opens JupyterLab at the notebook.
        "Binder": f"https://mybinder.org/v2/gh/{repository.owner}/{repository.name}/{repository.branch}"
        f"?urlpath=lab/tree/{path}",
        "Colab": f"https://colab.research.google.com/github/{repository.owner}/{repository.name}"
        f"/blob/{repository.branch}/{path}",
        "Kaggle": f"https://kaggle.com/kernels/welcome?src={on_github}",
    }


def badges(repository: Repository, path: str) -> str:
    """One Markdown line of "open in" badges for the notebook at ``path``."""
    return " ".join(
        f"[![Open in {platform}]({BADGE_IMAGES[platform]})]({url})"
        for platform, url in launch_urls(repository, path).items()
    )


def setup_cell_source(repository: Repository | None) -> str:
    """The code of the setup cell that goes before a notebook's first code cell."""
    # JAX compiles every new network's steps (about a second each on 2 cores); with its cache on
    # disk, networks of the same shape (the same network over several seeds) compile once.
    quiet = (
        "os.environ.setdefault(\"TF_CPP_MIN_LOG_LEVEL\", \"3\")  # no TensorFlow start-up messages: this line\n"
        "os.environ.setdefault(\"TF_ENABLE_ONEDNN_OPTS\", \"0\")  # and this one, before TensorFlow loads\n"
        "os.environ.setdefault(\"JAX_COMPILATION_CACHE_DIR\", os.path.expanduser(\"~/.cache/dl-course-jax\"))\n"
        "os.environ.setdefault(\"JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS\", \"0\")  # on JAX: compile each shape once\n"
    )
    if repository is None:
        return (
            "# Setup: quiets TensorFlow, keeps JAX's compiled steps, checks that the course is installed.\n"
            "import importlib.util, os\n"
            + quiet
            + "if importlib.util.find_spec(\"helpers\") is None:\n"
            "    raise ModuleNotFoundError(\"Install the course first: pip install -r requirements.txt (see the README)\")\n"
        )
    return (
        "# Setup: on Colab or Kaggle this installs the course and keeps the platform's own TensorFlow,\n"
        "# Keras, NumPy and pandas; on your computer or on Binder it does nothing visible.\n"
        "import importlib.util, os, subprocess, sys\n"
        + quiet
        + "if importlib.util.find_spec(\"helpers\") is None:\n"
        f"    if not os.path.isdir(\"{CLONE_FOLDER}\"):\n"
        f"        subprocess.run([\"git\", \"clone\", \"-q\", \"--depth=1\", \"--branch={repository.branch}\",\n"
        f"                        \"{repository.url}\", \"{CLONE_FOLDER}\"], check=True)\n"
        f"    subprocess.run([sys.executable, \"-m\", \"pip\", \"install\", \"-q\", \"-e\", \"{CLONE_FOLDER}\"], check=True)\n"
        f"    sys.path.insert(0, os.path.abspath(\"{CLONE_FOLDER}\"))\n"
    )


def add_launch_cells(notebook, path: str, repository: Repository | None):
    """``notebook`` with its badges on top (if there is an address) and the setup cell before its first code cell.

    ``path`` is the notebook's path relative to the repository's root. Cell ids are renumbered.
    """
    cells = list(notebook.cells)
    first_code = next((i for i, cell in enumerate(cells) if cell.cell_type == "code"), len(cells))
    setup = nbformat.v4.new_code_cell(setup_cell_source(repository), metadata={"tags": [SETUP_TAG]})
    cells.insert(first_code, setup)
    if repository is not None:
        cells.insert(0, nbformat.v4.new_markdown_cell(badges(repository, path), metadata={"tags": [BADGE_TAG]}))
    for index, cell in enumerate(cells):
        cell["id"] = f"c{index:03d}"
    notebook.cells = cells
    return notebook


def readme_block(repository: Repository | None, first_notebook: str) -> str:
    """What goes between the README's launch markers."""
    if repository is None:
        body = (
            "*No launch badges yet: this copy of the course does not know its public address. "
            "See [Open the course online](#open-the-course-online) to set it.*"
        )
    else:
        body = badges(repository, first_notebook)
    return f"{README_START}\n{body}\n{README_END}"


def updated_readme(text: str, repository: Repository | None, first_notebook: str) -> str:
    """The README ``text`` with its launch block brought up to date."""
    pattern = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), flags=re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"README.md has lost its launch-badge markers: put back {README_START} ... {README_END}")
    return pattern.sub(lambda _: readme_block(repository, first_notebook), text, count=1)


def sync_readme(built: dict[Path, str], repository: Repository | None, write: bool) -> bool:
    """Bring the README's launch block up to date (``write``) or report it; True if it was out of date.

    ``built`` is the build's {notebook path: text}; the README's badges open the course's first
    notebook (the first one directly in notebooks/).
    """
    if repository is None:
        print(HOW_TO_SET, file=sys.stderr)
    top_level = sorted(path for path in built if path.parent.name == "notebooks")
    first = top_level[0].relative_to(ROOT).as_posix() if top_level else "notebooks"
    text = README.read_text(encoding="utf-8")
    wanted = updated_readme(text, repository, first)
    if wanted == text:
        return False
    if write:
        README.write_text(wanted, encoding="utf-8")
        print("wrote README.md (launch badges)")
    else:
        print("out of date: README.md (launch badges)")
    return True
