"""helpers.environment: the start page's check says what is fine and what to fix, never with a traceback."""

from __future__ import annotations

import builtins
import sys

import pytest

from helpers import data, environment


def _rows(report):
    return {finding.topic: finding for finding in report.findings}


def test_a_complete_setup_is_ready(monkeypatch):
    monkeypatch.setenv(data.ENV_DATA_DIR, str(data.dataset_path("red_wine").parent))
    rows = _rows(environment.report())
    assert rows["Python"].status == "ok" and sys.version.split()[0] in rows["Python"].detail
    assert rows["Keras"].status == "ok" and rows["Keras"].detail.startswith("Keras 3.")
    assert rows["Backend"].status == "ok"
    assert rows["Widgets"].status == "ok" and "ipywidgets" in rows["Widgets"].detail
    datasets = [row for topic, row in rows.items() if topic.startswith("Dataset: ")]
    assert len(datasets) == len(data.registry())


def test_a_missing_dataset_says_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setenv(data.ENV_DATA_DIR, str(tmp_path / "mirror"))
    monkeypatch.setenv(data.ENV_CACHE_DIR, str(tmp_path / "cache"))
    report = environment.report()
    datasets = [f for f in report.findings if f.topic.startswith("Dataset: ")]
    assert datasets and all(f.status == "note" for f in datasets)
    assert all("not downloaded yet" in f.detail and data.FETCH_COMMAND in f.detail for f in datasets)
    assert report.ready and "Ready to start" in report.verdict()


def test_a_damaged_dataset_copy_is_reported(monkeypatch, tmp_path):
    (tmp_path / "cache").mkdir()
    monkeypatch.setenv(data.ENV_DATA_DIR, "")
    monkeypatch.setenv(data.ENV_CACHE_DIR, str(tmp_path / "cache"))
    wine = data.registry()["red_wine"]
    (tmp_path / "cache" / wine.file).write_text("not the wine data", encoding="utf-8")
    row = _rows(environment.report())[f"Dataset: {wine.title}"]
    assert row.status == "note" and "does not match its checksum" in row.detail


def test_problems_are_rows_not_tracebacks(monkeypatch):
    monkeypatch.setattr(environment, "MIN_PYTHON", (99, 0))

    def broken():
        raise RuntimeError("something odd")

    monkeypatch.setattr(environment, "_check_widgets", broken)
    report = environment.report()
    rows = _rows(report)
    assert rows["Python"].status == "problem" and "too old" in rows["Python"].detail
    assert rows["Widgets"].status == "problem" and "could not be checked (RuntimeError: something odd)" in rows["Widgets"].detail
    assert not report.ready and "2 problem(s)" in report.verdict()
    assert "❌" in str(report) and "<table>" in report._repr_html_()


def test_keras_that_cannot_be_imported_is_a_problem_with_the_fix(monkeypatch):
    real_import = builtins.__import__

    def no_keras(name, *args, **kwargs):
        if name == "keras":
            raise ImportError("No module named 'keras'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_keras)
    (finding,) = environment._check_keras()
    assert finding.status == "problem" and "pip install -r requirements.txt" in finding.detail


@pytest.mark.parametrize("version, status", [("3.15.1", "ok"), ("3.8.0", "note"), ("2.15.0", "problem")])
def test_keras_versions(monkeypatch, version, status):
    import keras

    monkeypatch.setattr(keras, "__version__", version)
    assert environment._check_keras()[0].status == status


def test_the_widget_probe_text_survives_ipywidgets_truncation():
    probe = environment.widget_probe()
    assert repr(probe) == environment.WIDGET_FIX and len(environment.WIDGET_FIX) <= 110
    assert "Widgets render" in probe.value


def test_check_prints_outside_a_notebook(capsys):
    environment.check()
    out = capsys.readouterr().out
    assert "Python" in out and "Keras" in out and ("Ready to start" in out or "problem" in out)


def test_html_escapes_and_shows_code():
    report = environment.EnvironmentReport([environment.Finding("<b>", "note", "run `pip install x` & wait")])
    html = report._repr_html_()
    assert "&lt;b&gt;" in html and "<code>pip install x</code> &amp; wait" in html
