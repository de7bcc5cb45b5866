"""The README's lesson table and data credits are derived, not hand-kept (scripts/readme_tables.py)."""

from __future__ import annotations

import sys

import pytest

from course_parts import ROOT, build_script, dataset_registry, lesson_sources

sys.path.insert(0, str(ROOT / "scripts"))
import readme_tables  # noqa: E402


@pytest.mark.parametrize("numbers, words", [([3], "3"), ([3, 4, 5], "3-5"), ([2, 4, 5], "2, 4 and 5"),
                                            ([1, 2, 3, 5], "1-3 and 5"), ([5, 1], "1 and 5")])  # fmt: skip
def test_numbers_in_words(numbers, words):
    assert readme_tables.numbers_in_words(numbers) == words


def _between(text: str, block: str) -> str:
    start, end = readme_tables.MARKERS[block]
    return text.split(start, 1)[1].split(end, 1)[0]


def test_every_lesson_and_every_dataset_has_a_row():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lessons = _between(readme, "lessons")
    for source in lesson_sources():
        assert f"](notebooks/{source.stem}.ipynb) |" in lessons, source.name
    credits = _between(readme, "data-credits")
    for entry in dataset_registry().values():
        assert f"| {entry['title']} | " in credits and entry["citation"] in credits


def test_usage_follows_the_code_including_the_helpers_a_lab_calls(tmp_path):
    build = build_script()
    known = dataset_registry()
    used = readme_tables.usage(build.discover_quietly(), known)
    # lab 1 gets its cereals through widgets.neuron_explorer(), not a loader in its cells
    lab_one = next((ROOT / "content" / "labs").glob("01_*.py"))
    assert "load_cereals" not in readme_tables.code_cells(lab_one)
    assert 1 in used["cereals"]["lab"]
    # and a loader mentioned only in a Markdown cell does not count
    source = tmp_path / "01_fake.py"
    source.write_text("# %% [markdown]\n# # 1. Fake\n# data.load_spotify()\n\n# %%\nx = 1\n", encoding="utf-8")
    assert readme_tables.datasets_named_in(readme_tables.code_cells(source), known) == set()
    assert readme_tables.datasets_named_in("data.load_spotify()", known) == {"spotify"}


def test_a_hand_edited_table_is_out_of_date(monkeypatch, tmp_path):
    build = build_script()
    readme = tmp_path / "README.md"
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    readme.write_text(text.replace(" | red wine |", " | white wine |", 1), encoding="utf-8")
    monkeypatch.setattr(readme_tables, "README", readme)
    assert readme_tables.sync_readme(build.discover_quietly(), build.lesson_path, write=False) is True
    assert readme_tables.sync_readme(build.discover_quietly(), build.lesson_path, write=True) is True
    assert readme.read_text(encoding="utf-8") == text
