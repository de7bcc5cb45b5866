"""Learner-fixable errors reach the learner as one readable message, not a traceback."""

import re

import pytest
from IPython.core.interactiveshell import InteractiveShell

from helpers import data


@pytest.fixture(scope="module")
def shell():
    yield InteractiveShell.instance()
    # Other tests check behaviour outside IPython: leave no global shell behind.
    InteractiveShell.clear_instance()


def test_missing_dataset_shows_only_the_advice_in_ipython(shell, capsys, tmp_path, monkeypatch):
    monkeypatch.delenv(data.ENV_DATA_DIR, raising=False)
    monkeypatch.delenv(data.ENV_DATA_URL, raising=False)
    monkeypatch.setenv(data.ENV_CACHE_DIR, str(tmp_path))
    shell.user_ns["data"] = data
    shell.user_ns["entry"] = data.Dataset(
        name="demo", title="Demo data", file="demo.csv", sha256="0" * 64, urls=("http://127.0.0.1:9/demo.csv",)
    )
    result = shell.run_cell("data.dataset_path(entry, progressbar=False)")
    shown = capsys.readouterr()
    output = shown.out + shown.err
    assert isinstance(result.error_in_exec, data.DatasetUnavailableError)
    assert "DatasetUnavailableError" in output and "Could not get the Demo data dataset" in output
    assert data.FETCH_COMMAND in output
    assert "Traceback" not in output and "helpers/data.py" not in output


def test_ordinary_bugs_keep_their_traceback(shell, capsys):
    shell.run_cell("def broken():\n    return 1 / 0\nbroken()")
    captured = capsys.readouterr()
    output = re.sub(r"\x1b\[[0-9;]*m", "", captured.out + captured.err)
    assert "ZeroDivisionError" in output
    assert "return 1 / 0" in output, "the traceback shows the learner's own line"
