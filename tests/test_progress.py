"""helpers.progress: passing checks are recorded on the learner's computer and shown as a table.

Every test points DLCOURSE_PROGRESS_FILE at its own temporary file (the root conftest.py
already points the whole session at a throwaway file), so no test touches a real user folder.
"""

from __future__ import annotations

import json
import os
import stat
import sys

import pytest

from course_parts import exercise_modules
from helpers import progress
from helpers.exercises import core


@pytest.fixture
def progress_file(monkeypatch, tmp_path):
    path = tmp_path / "data" / "progress.json"
    monkeypatch.setenv(progress.ENV_VAR, str(path))
    return path


def test_the_session_never_uses_the_real_user_folder():
    configured = os.environ.get(progress.ENV_VAR, "")
    assert configured, "conftest.py must point DLCOURSE_PROGRESS_FILE at a throwaway file"
    assert progress.location() != progress._default_folder() / progress.FILE_NAME


def test_default_location_is_the_user_data_folder_outside_the_repository(monkeypatch):
    monkeypatch.delenv(progress.ENV_VAR, raising=False)
    location = progress.location()
    assert location.name == "progress.json" and location.parent.name == "dlcourse"
    repository = progress.Path(__file__).resolve().parent.parent
    assert repository not in location.parents


def test_record_and_done(progress_file):
    assert progress.done() == {}
    assert progress.record(3, "q2") and progress.record(3, "q1") and progress.record(1, "q5")
    assert progress.record(3, "q2")  # twice is fine
    assert progress.done() == {3: {"q1", "q2"}, 1: {"q5"}}
    content = json.loads(progress_file.read_text(encoding="utf-8"))
    assert content["format"] == 1 and set(content["exercises"]) == {"1", "3"}
    first = content["exercises"]["3"]["q2"]
    progress.record(3, "q2")
    assert json.loads(progress_file.read_text(encoding="utf-8"))["exercises"]["3"]["q2"] == first  # first pass kept


def test_a_real_check_records_its_exercise_and_question(progress_file):
    from helpers.exercises import exercise1

    assert exercise1.q5.check("Keras starts the weight at a random value, so the line is random.").status == "answer"
    assert exercise1.q5.check().status == "not_attempted"
    assert progress.done() == {1: {"q5"}}


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"",
        b"[1, 2, 3]",
        b'{"exercises": [1, 2]}',
        b'{"format": 1}',
        b"\xff\xfe\x00garbage",
        b'{"exercises": {"x": {"q1": "t"}, "2": "not a mapping"}}',
    ],
)
def test_a_damaged_file_never_breaks_recording_or_showing(progress_file, content):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_bytes(content)
    text = str(progress.report())
    assert "Your progress" in text
    if content.startswith(b'{"exercises": {"x"'):
        assert progress.done() == {}  # readable but odd: the odd entries are skipped
    else:
        assert "damaged" in text or "could not be read" in text
    assert progress.record(2, "q1") is True
    assert progress.done() == {2: {"q1"}}
    assert progress.report().problem is None


def test_a_damaged_file_is_kept_aside(progress_file):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text("{oops", encoding="utf-8")
    progress.record(4, "q3")
    assert (progress_file.parent / "progress.json.damaged").read_text(encoding="utf-8") == "{oops"


@pytest.mark.skipif(sys.platform.startswith("win") or os.geteuid() == 0, reason="needs POSIX permissions as a normal user")
def test_an_unwritable_folder_never_breaks_a_check(progress_file, monkeypatch):
    from helpers.exercises import exercise1

    progress_file.parent.mkdir(parents=True)
    progress_file.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert progress.record(1, "q1") is False
        assert exercise1.q5.check("Keras starts the weight at a random value, so the line is random.").status == "answer"
    finally:
        progress_file.parent.chmod(stat.S_IRWXU)


def test_a_path_that_cannot_be_a_file_never_breaks_a_check(monkeypatch, tmp_path):
    from helpers.exercises import exercise1

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(progress.ENV_VAR, str(blocker / "progress.json"))  # its folder is a file
    assert progress.record(1, "q1") is False
    assert exercise1.q5.check("Keras starts the weight at a random value, so the line is random.").status == "answer"
    assert "Your progress" in str(progress.report())


def test_catalogue_discovers_every_exercise_and_its_questions():
    from helpers.exercises import exercise1, exercise6

    exercises = progress.catalogue()
    numbers = [info.number for info in exercises]
    found = [int(module.__name__.rsplit("exercise", 1)[1]) for module in exercise_modules()]
    assert numbers == found
    first = exercises[0]
    assert first.title == "A single neuron"
    assert [name for name, _ in first.questions] == sorted(
        (name for name, value in vars(exercise1).items() if isinstance(value, core.Question) and value.name == name),
        key=progress._natural,
    )
    last = next(info for info in exercises if info.number == 6)
    assert last.title == "Binary classification"
    assert all(getattr(exercise6, name).title == title for name, title in last.questions)


@pytest.mark.parametrize(
    "docline, title",
    [
        ("Exercise 3 (stochastic gradient descent) on the auto MPG data: the questions", "Stochastic gradient descent"),
        ("Exercise 4: overfitting and underfitting, on the concrete data.", "Overfitting and underfitting"),
        ("Exercise 5: dropout and batch normalization.", "Dropout and batch normalization"),
        ("Exercise 6: binary classification, on 119,390 hotel bookings.", "Binary classification"),
        ("Something else entirely", "Exercise 7"),
    ],
)
def test_exercise_titles_come_from_the_module_docstring(docline, title):
    assert progress._exercise_title(docline, 7) == title


def test_show_lists_done_and_open_questions(progress_file, capsys):
    empty = progress.report()
    assert empty.completed == 0 and empty.total >= 30
    assert "No question done yet" in str(empty)
    progress.record(1, "q1")
    progress.record(1, "q2")
    progress.record(99, "q1")  # an exercise the course no longer has is ignored
    report = progress.report()
    assert report.completed == 2
    text = str(report)
    assert "Exercise 1 (A single neuron): ✅ q1  ✅ q2  ⬜ q3" in text and "2/" in text
    assert f"2 of {report.total} questions done." in text and str(progress_file) in text
    html = report._repr_html_()
    assert html.count("✅") == 2 and "<table>" in html and "Exercise 1: A single neuron" in html
    progress.show()  # outside IPython it prints the text
    assert "Your progress" in capsys.readouterr().out


def test_reset_forgets_everything(progress_file):
    progress.record(1, "q1")
    progress.reset()
    assert progress.done() == {} and not progress_file.exists()
    progress.reset()  # nothing to delete is fine
