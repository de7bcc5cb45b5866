"""Is this computer ready for the course? One call checks, and says what to do about each problem.

In the start-here notebook::

    from helpers import environment
    environment.check()

shows a table: the Python, Keras and backend versions, each course dataset (already on this
computer, or how to get it) and the widget libraries, then a small widget. Every row is ✅
(fine), ⚠️ (works, with a note) or ❌ (needs fixing, with the fix). The check never stops with
a traceback: whatever it cannot inspect becomes a row that says so.
"""

from __future__ import annotations

import hashlib
import html
import importlib
import importlib.metadata as metadata
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["check", "report", "Finding", "EnvironmentReport"]

MIN_PYTHON = (3, 10)
MIN_KERAS = (3, 13)
INSTALL = "`pip install -r requirements.txt` in the course folder, then restart the kernel"
OK, NOTE, PROBLEM = "ok", "note", "problem"
_ICONS = {OK: "✅", NOTE: "⚠️", PROBLEM: "❌"}


@dataclass
class Finding:
    """One row of the report: what was checked, how it went, and what it found or what to do."""

    topic: str
    status: str  # "ok", "note" or "problem"
    detail: str

    @property
    def icon(self) -> str:
        return _ICONS[self.status]


def _version_tuple(text: str) -> tuple[int, ...]:
    numbers = []
    for part in text.split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        if not digits:
            break
        numbers.append(int(digits))
        if digits != part:
            break
    return tuple(numbers)


def _installed(*names: str) -> tuple[str, str] | None:
    """(distribution name, version) of the first of ``names`` that is installed."""
    for name in names:
        try:
            return name, metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


# --------------------------------------------------------------------------------------
# The checks, one function per topic
# --------------------------------------------------------------------------------------


def _check_python() -> Finding:
    version = platform.python_version()
    if sys.version_info[:2] < MIN_PYTHON:
        wanted = ".".join(map(str, MIN_PYTHON))
        return Finding("Python", PROBLEM, f"Python {version} is too old: the course needs {wanted} or newer.")
    return Finding("Python", OK, f"Python {version} ({platform.system() or 'unknown system'})")


_BACKEND_PACKAGES = {
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tf-nightly"),
    "jax": ("jax",),
    "torch": ("torch",),
    "numpy": ("numpy",),
}


def _check_keras() -> list[Finding]:
    try:
        import keras
    except Exception as error:  # ImportError, or a broken backend install
        return [
            Finding(
                "Keras",
                PROBLEM,
                f"Keras could not be imported ({type(error).__name__}: {error}). Install the course: {INSTALL}.",
            )
        ]
    findings = []
    version = getattr(keras, "__version__", "unknown")
    if _version_tuple(version)[:1] != (3,):
        findings.append(Finding("Keras", PROBLEM, f"Keras {version}: the course is written for Keras 3. Install it: {INSTALL}."))
    elif _version_tuple(version) < MIN_KERAS:
        wanted = ".".join(map(str, MIN_KERAS))
        findings.append(Finding("Keras", NOTE, f"Keras {version}: older than the {wanted} the course is tested with; most things work."))
    else:
        findings.append(Finding("Keras", OK, f"Keras {version}"))
    try:
        backend = keras.backend.backend()
    except Exception as error:
        findings.append(Finding("Backend", PROBLEM, f"Keras could not name its backend ({error})."))
        return findings
    package = _installed(*_BACKEND_PACKAGES.get(backend, (backend,)))
    described = f"{package[0]} {package[1]}" if package else "version unknown"
    if backend == "tensorflow":
        findings.append(Finding("Backend", OK, f"{backend} ({described}), the course's default"))
    elif backend == "jax":
        findings.append(Finding("Backend", OK, f"{backend} ({described}); the course also runs on JAX"))
    else:
        findings.append(
            Finding(
                "Backend",
                NOTE,
                f"{backend} ({described}): the course is tested on TensorFlow and JAX. To use TensorFlow, set the "
                "environment variable `KERAS_BACKEND=tensorflow` before starting Jupyter.",
            )
        )
    return findings


def _verified(path: Path, sha256: str) -> bool:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == sha256


def _check_datasets() -> list[Finding]:
    try:
        from helpers import data

        datasets = data.registry()
    except Exception as error:
        return [Finding("Datasets", PROBLEM, f"The dataset list could not be read: {error}")]
    places = []
    mirror = os.environ.get(data.ENV_DATA_DIR, "").strip()
    if mirror:
        places.append((Path(mirror).expanduser(), f"the folder ${data.ENV_DATA_DIR}"))
    cache = Path(os.environ.get(data.ENV_CACHE_DIR) or data.DEFAULT_CACHE_DIR)
    places.append((cache, "the course's data cache"))
    findings = []
    for dataset in datasets.values():
        topic = f"Dataset: {dataset.title}"
        found, damaged = None, []
        for folder, described in places:
            candidate = folder / dataset.file
            try:
                if not candidate.is_file():
                    continue
                if _verified(candidate, dataset.sha256):
                    found = described
                    break
                damaged.append(str(candidate))
            except OSError as error:
                damaged.append(f"{candidate} ({error.strerror or error})")
        if found:
            findings.append(Finding(topic, OK, f"`{dataset.file}` is here, verified ({found})"))
        elif damaged:
            findings.append(
                Finding(
                    topic,
                    NOTE,
                    f"the copy at {', '.join(damaged)} does not match its checksum, so it will not be used; "
                    f"the first lesson that needs it downloads it again (internet needed), or run "
                    f"`{data.FETCH_COMMAND}` now.",
                )
            )
        else:
            findings.append(
                Finding(
                    topic,
                    NOTE,
                    f"not downloaded yet: the first lesson that uses it downloads it ({dataset.bytes / 1e6:.1f} MB, "
                    f"internet needed). Working offline later? Run `{data.FETCH_COMMAND}` in the course folder now, "
                    f"or ask your instructor for the files and point ${data.ENV_DATA_DIR} at their folder.",
                )
            )
    return findings


def _check_widgets() -> list[Finding]:
    try:
        import ipywidgets
    except Exception as error:
        return [Finding("Widgets", PROBLEM, f"ipywidgets could not be imported ({error}); the labs need it. {INSTALL}.")]
    version = getattr(ipywidgets, "__version__", "unknown")
    major = _version_tuple(version)[:1]
    if major not in {(7,), (8,)}:
        return [Finding("Widgets", NOTE, f"ipywidgets {version}: the course is tested with versions 7.7 and 8.")]
    lab_side = _installed("jupyterlab_widgets") if major == (8,) else _installed("widgetsnbextension", "jupyterlab_widgets")
    extra = f", {lab_side[0]} {lab_side[1]}" if lab_side else ""
    return [Finding("Widgets", OK, f"ipywidgets {version}{extra}; whether they render, the line under this table shows")]


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


# --------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------


class EnvironmentReport:
    """The findings as a table (HTML in Jupyter, text elsewhere) and a one-line verdict."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.status == PROBLEM]

    @property
    def notes(self) -> list[Finding]:
        return [f for f in self.findings if f.status == NOTE]

    @property
    def ready(self) -> bool:
        return not self.problems

    def verdict(self) -> str:
        if self.problems:
            return f"{len(self.problems)} problem(s) to fix before you start: see the ❌ rows."
        if self.notes:
            return "Ready to start. The ⚠️ rows are notes, not problems."
        return "Ready to start: everything the course needs is here."

    def __str__(self):
        width = max(len(f.topic) for f in self.findings) if self.findings else 0
        lines = [f"{f.icon} {f.topic:<{width}}  {f.detail}" for f in self.findings]
        return "\n".join([*lines, "", self.verdict()])

    __repr__ = __str__

    def _repr_html_(self):
        rows = "".join(
            f"<tr><td>{f.icon}</td><td style='text-align: left'>{html.escape(f.topic)}</td>"
            f"<td style='text-align: left'>{_inline_code(f.detail)}</td></tr>"
            for f in self.findings
        )
        return (
            "<div class='dlcourse-environment'><table><thead><tr><th></th><th style='text-align: left'>Check</th>"
            f"<th style='text-align: left'>Result</th></tr></thead><tbody>{rows}</tbody></table>"
            f"<p><b>{html.escape(self.verdict())}</b></p></div>"
        )


def _inline_code(text: str) -> str:
    """Escape ``text`` for HTML and turn `backtick` spans into <code>."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{part}</code>" if index % 2 else part for index, part in enumerate(parts))


def report() -> EnvironmentReport:
    """Run every check and return the findings (``check()`` displays them)."""
    findings: list[Finding] = []
    for topic, name in (("Python", "_check_python"), ("Keras", "_check_keras"), ("Datasets", "_check_datasets"),
                        ("Widgets", "_check_widgets")):
        try:
            result = globals()[name]()
        except Exception as error:  # a check that fails must not hide the others
            result = Finding(topic, PROBLEM, f"could not be checked ({type(error).__name__}: {error})")
        findings.extend(result if isinstance(result, list) else [result])
    return EnvironmentReport(findings)


# Jupyter shows a widget's plain text where it cannot draw the widget; ipywidgets cuts that text
# after 110 characters, so it points to the fix in the start-here notebook instead of holding it.
WIDGET_FIX = "❌ Widgets do not render here (this text shows instead of a green line): see the fix below."


def widget_probe():
    """A small widget: a green line where widgets render; where they do not, its text says how to fix it."""
    try:
        import ipywidgets
    except Exception:
        return None

    class WidgetProbe(ipywidgets.HTML):
        def __repr__(self):  # the text Jupyter shows when it cannot draw the widget
            return WIDGET_FIX

    return WidgetProbe(
        value="<span style='color: #009E73; font-weight: bold'>✅ Widgets render: the labs' sliders and buttons will work.</span>"
    )


def check() -> None:
    """Display the environment report and, in a notebook, the widget probe under it."""
    result = report()
    if not _in_notebook():
        print(result)
        return
    from IPython.display import display

    display(result)
    probe = widget_probe()
    if probe is not None:
        display(probe)
