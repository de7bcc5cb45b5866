"""Sphinx configuration of the course website. Build it with ``python scripts/build_site.py``,
which prepares the pages in build/site-src/ and runs Sphinx with this file."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from build_site import CACHE, launch_settings, _readme_intro  # noqa: E402

project = _readme_intro()[0]
html_title = project
author = "The course authors"
language = "en"
root_doc = "index"

extensions = [
    "myst_nb",  # notebooks and Markdown pages
    "sphinx_copybutton",  # a copy button on every code cell
]

# MathJax served with the site, from the sphinx-mathjax-offline package's copy: equations show
# without any CDN. (Its files only, not its extension, which would stop parallel builds.)
import importlib.util  # noqa: E402

_mathjax = Path(importlib.util.find_spec("sphinx-mathjax-offline").origin).parent / "static"
mathjax_path = "mathjax/tex-chtml.js"

# --- MyST-NB: execute notebooks, caching the results --------------------------------
nb_execution_mode = "cache"  # executes a notebook again only when its code changed
nb_execution_cache_path = str(CACHE)
nb_execution_timeout = 600  # seconds for one cell
nb_execution_raise_on_error = True  # a cell that fails stops the build: no broken page goes out
nb_execution_show_tb = True
nb_merge_streams = True
nb_output_stderr = "remove"  # library start-up messages are not course content
# Widgets are shown as still pictures (scripts/build_site.py): no widget JavaScript from a CDN.
nb_ipywidgets_js = {}
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3

# --- Pages ---------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_static_path = ["_static", str(_mathjax)]
html_css_files = ["site.css"]
html_sourcelink_suffix = ""  # the download button gives the .ipynb itself
html_last_updated_fmt = None
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "navigation_with_keys": False,
}
_settings = launch_settings()
if _settings is not None:
    html_theme_options.update(
        repository_url=f"https://github.com/{_settings[0]}",
        repository_branch=_settings[1],
        path_to_docs="notebooks",
        use_repository_button=True,
    )

suppress_warnings = ["mystnb.unknown_mime_type"]
