"""A small base for the labs: a widget box with a matplotlib figure shown as a PNG.

Why a PNG: an ``ipywidgets.Image`` updated in place works the same in JupyterLab,
classic Notebook, VS Code and Binder, needs no extra front-end extension (no ipympl),
and can be checked from Python in tests (``lab.png`` is the bytes the learner sees).

A lab subclass builds its figure once with :func:`new_figure`, keeps the matplotlib
artists it will change, and calls :meth:`Lab.redraw` after updating them. It puts its
controls and a text read-out (``lab.readout``, an ``ipywidgets.HTML``) wherever it likes
in ``self.children``.
"""

from __future__ import annotations

import html
import io
import time

import ipywidgets as widgets
import numpy as np
import PIL.Image
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

try:
    from helpers.plots import PALETTE
except ImportError:  # helpers.plots unavailable: the same Okabe-Ito colors, by the same names
    PALETTE = {
        "blue": "#0072B2", "orange": "#E69F00", "bluish_green": "#009E73", "vermillion": "#D55E00",
        "reddish_purple": "#CC79A7", "sky_blue": "#56B4E9", "yellow": "#F0E442", "black": "#000000",
    }
from helpers._errors import LearnerError

__all__ = ["Lab", "LabInputError", "FigureImage", "new_figure", "figure_png", "PALETTE"]


class LabInputError(LearnerError, ValueError):
    """A lab was given something it cannot use (a missing column, an unknown option)."""

# Screen pixels per figure inch. Modest, so that a redraw stays well under 200 ms.
DPI = 80


def new_figure(width: float = 9.0, height: float = 3.6) -> Figure:
    """A matplotlib figure that lives outside pyplot (never auto-shown, never leaked)."""
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _encode_png(canvas: FigureCanvasAgg) -> bytes:
    """The canvas's current pixels as PNG; light compression, because speed matters more here."""
    pixels = np.asarray(canvas.buffer_rgba())
    buffer = io.BytesIO()
    PIL.Image.fromarray(pixels[..., :3]).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def figure_png(figure: Figure) -> bytes:
    """The figure rendered as PNG bytes."""
    figure.canvas.draw()
    return _encode_png(figure.canvas)


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
        self.last_redraw_seconds = 0.0
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
        start = time.perf_counter()
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
        self.image.value = _encode_png(canvas)
        if alt is not None:
            self.image.tooltip = alt
        self.last_redraw_seconds = time.perf_counter() - start

    def say(self, text: str, *, warning: bool = False) -> None:
        """Show one line of plain text under the figure (escaped; a warning is highlighted)."""
        style = f"color:{PALETTE['vermillion']};font-weight:bold" if warning else ""
        self.readout.value = f'<span style="{style}">{html.escape(text)}</span>'
