"""The base of every lab: a widget box with a matplotlib figure shown as a PNG.

Why a PNG: an ``ipywidgets.Image`` updated in place works the same in JupyterLab,
classic Notebook, VS Code, Binder and Google Colab (ipywidgets 7.7 and 8), needs no extra
front-end extension (no ipympl), and can be checked from Python in tests (``lab.png`` is
the bytes the learner sees).

A lab subclasses :class:`Lab`: it builds its figure once with :func:`new_figure`, keeps
the matplotlib artists it will change, and calls :meth:`Lab.redraw` after updating them.
It puts its controls and a text read-out (``lab.readout``, an ``ipywidgets.HTML``)
wherever it likes in ``self.children``. Input it cannot use raises :class:`LabInputError`.
"""

from __future__ import annotations

import functools
import html
import io
import math
import time

import ipywidgets as widgets
import numpy as np
import pandas as pd
import PIL.Image
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers.errors import LearnerError
from helpers.plots import PALETTE

__all__ = ["Lab", "LabInputError"]

# Screen pixels per figure inch. Modest, so that a redraw stays well under 200 ms.
DPI = 80
SLIDER_LAYOUT = widgets.Layout(width="420px")
SLIDER_STYLE = {"description_width": "110px"}
# For controls whose descriptions differ in length: each keeps the width its text needs.
CONTROL_STYLE = {"description_width": "initial"}


class LabInputError(LearnerError, ValueError):
    """A lab was given something it cannot use (a missing column, an unknown option); the
    message says what it needs."""


def new_figure(width: float = 9.0, height: float = 3.6, dpi: int = DPI, layout: str | None = "constrained") -> Figure:
    """A matplotlib figure that lives outside pyplot (never auto-shown, never leaked).

    ``layout=None`` leaves the margins to the caller (``figure.subplots_adjust``), which
    keeps redraws of a figure whose contents change size fast.
    """
    figure = Figure(figsize=(width, height), dpi=dpi, layout=layout)
    FigureCanvasAgg(figure)
    return figure


def canvas_png(canvas: FigureCanvasAgg) -> bytes:
    """The canvas's current pixels as PNG; light compression, because speed matters more here."""
    pixels = np.asarray(canvas.buffer_rgba())
    buffer = io.BytesIO()
    PIL.Image.fromarray(pixels[..., :3]).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def figure_png(figure: Figure) -> bytes:
    """The figure rendered as PNG bytes."""
    figure.canvas.draw()
    return canvas_png(figure.canvas)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^k that is >= value (slider ends and axis limits that read well)."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for mantissa in (1, 2, 5, 10):
        candidate = mantissa * 10.0**exponent
        if candidate >= value * (1 - 1e-12):
            return candidate
    return 10.0 ** (exponent + 1)


def two_numeric_columns(df, x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
    """Columns x and y of a learner's DataFrame as float arrays without missing rows, or a
    :class:`LabInputError` naming the columns that would work."""
    if not isinstance(df, pd.DataFrame):
        raise LabInputError(f"Expected a pandas DataFrame of data, got {type(df).__name__}.")
    for role, name in (("x", x), ("y", y)):
        if name not in df.columns:
            options = ", ".join(repr(c) for c in df.select_dtypes("number").columns)
            raise LabInputError(f"There is no column {name!r} to use as {role}. "
                                f"Numeric columns you can use: {options}.")
        if not pd.api.types.is_numeric_dtype(df[name]):
            raise LabInputError(f"Column {name!r} holds {df[name].dtype} values, not numbers; pick a numeric column.")
    clean = df[[x, y]].dropna()
    if len(clean) < 3:
        raise LabInputError(f"Columns {x!r} and {y!r} have fewer than 3 rows with both values present.")
    return clean[x].to_numpy(dtype=float), clean[y].to_numpy(dtype=float)


def timed_update(method):
    """Decorate a lab method that answers a learner's action: how long it took goes to
    ``lab.last_update_seconds`` (the tests hold it to the course's 200 ms budget)."""

    @functools.wraps(method)
    def timed(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return method(self, *args, **kwargs)
        finally:
            self.last_update_seconds = time.perf_counter() - start

    return timed


class FigureImage(widgets.Image):
    """The lab's picture. Its ``tooltip`` holds the figure's alt text on the Python side only.

    ipywidgets 8.1's browser code cannot draw an ``Image`` that has a tooltip (it reads the
    ``description`` an Image does not have, and shows "Click to show javascript error"
    instead of the picture), so the tooltip is deliberately not sent to the browser.
    """

    tooltip = traitlets.Unicode(None, allow_none=True)  # no sync=True: never sent to the browser


class Lab(widgets.VBox):
    """Base class: a ``VBox`` with ``figure`` (matplotlib), ``image`` (the PNG the learner
    sees) and ``readout`` (an HTML line of numbers). Subclasses fill ``children``.

    Speed: the figure's layout is computed on the first draw and then kept. A subclass may
    list, with :meth:`set_moving_artists`, the artists that change on every interaction;
    everything else is then drawn once and reused (matplotlib "blitting"), which makes a
    redraw several times faster. Call :meth:`invalidate` after changing anything else
    (axis limits, static lines).

    ``alt`` is a short description of the figure (``lab.alt``); subclasses update it along with
    the figure. The read-out line states the same numbers as text.
    """

    def __init__(self, figure: Figure, alt: str = "", **kwargs):
        super().__init__(**kwargs)
        self.figure = figure
        self.image = FigureImage(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.image.tooltip = alt
        self.readout = widgets.HTML()
        self.last_update_seconds = None
        self._moving = []
        self._background = None

    @property
    def alt(self) -> str:
        """A one-sentence description of what the figure shows now."""
        return self.image.tooltip or ""

    @property
    def png(self) -> bytes:
        """The PNG bytes currently shown."""
        return bytes(self.image.value)

    def set_moving_artists(self, artists) -> None:
        """Declare the artists that change on each interaction (drawn over a cached background)."""
        self._moving = list(artists)
        for artist in self._moving:
            artist.set_animated(True)
        self.invalidate()

    def invalidate(self) -> None:
        """Forget the cached background: the next redraw draws everything."""
        self._background = None

    def redraw(self, alt: str | None = None) -> None:
        """Render the figure into the image widget (and update its alt text)."""
        canvas = self.figure.canvas
        if self._background is None:
            canvas.draw()  # skips the moving artists
            if self.figure.get_layout_engine() is not None:
                # Keep the layout the first draw found: recomputing it costs more than the drawing.
                self.figure.set_layout_engine("none")
            self._background = canvas.copy_from_bbox(self.figure.bbox) if self._moving else None
        else:
            canvas.restore_region(self._background)
        for artist in self._moving:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        self.image.value = canvas_png(canvas)
        if alt is not None:
            self.image.tooltip = alt

    def say(self, text: str, *, warning: bool = False) -> None:
        """Show one line of plain text under the figure (escaped; a warning is highlighted)."""
        style = f"color:{PALETTE['vermillion']};font-weight:bold" if warning else ""
        self.readout.value = f'<span style="{style}">{html.escape(text)}</span>'
