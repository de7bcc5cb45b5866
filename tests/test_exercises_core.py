"""The exercise machinery: the ____ blank, Feedback display, Question.check, hints in steps,
discussion answers, open challenges, progress recording, strict mode and the inspect_model
helpers' messages."""

import copy
import pickle

import keras
import numpy as np
import pytest

from helpers.exercises import ____, DiscussionQuestion, Feedback, Incorrect, OpenChallenge, PlaceholderError, Question
from helpers.exercises import core
from helpers.exercises import inspect_model as im


@pytest.fixture(autouse=True)
def lenient_checks(monkeypatch):
    """These tests look at "incorrect" feedback, so strict mode must be off unless a test turns it on."""
    monkeypatch.delenv(core.STRICT_ENV_VAR, raising=False)


# --- small models shared by the tests (built once) -------------------------------------------


@pytest.fixture(scope="module")
def linear_unit():
    return keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(1)])


@pytest.fixture(scope="module")
def deep_model():
    return keras.Sequential(
        [
            keras.Input(shape=(8,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(1),
        ]
    )


@pytest.fixture(scope="module")
def deep_model_separate():
    return keras.Sequential(
        [
            keras.Input(shape=(8,)),
            keras.layers.Dense(16),
            keras.layers.Activation("relu"),
            keras.layers.Dense(16),
            keras.layers.Activation("relu"),
            keras.layers.Dense(1),
        ]
    )


class LinearUnit(Question):
    title = "A linear unit"
    expected = "a Keras model"
    hint_text = "Use `keras.Input(shape=(11,))` first."
    solution_text = "```python\nmodel = keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(1)])\n```"

    def _check(self, model):
        im.require_model(model)
        im.require_input_shape(model, (11,), "the red wine data has 11 features")
        im.require_dense_stack(model, [1], ["linear"])
        return "Eleven weights and one bias."


class TwoAnswers(Question):
    def _check(self, weights, bias):
        if weights != 1:
            raise Incorrect("weights should be 1")


# --- the blank -------------------------------------------------------------------------------


def test_placeholder_is_a_single_object_with_a_short_repr():
    assert core.Placeholder() is ____
    assert repr(____) == "____" and str(____) == "____"
    assert copy.copy(____) is ____ and copy.deepcopy([____])[0] is ____
    assert pickle.loads(pickle.dumps(____)) is ____


@pytest.mark.parametrize(
    "use, needed",
    [
        (lambda: int(____), "a whole number"),
        (lambda: float(____), "a number"),
        (lambda: ____ + 1, "a number"),
        (lambda: 2 * ____, "a number"),
        (lambda: list(____), "a list, tuple or shape"),
        (lambda: len(____), "a list, tuple or shape"),
        (lambda: ____[0], "a list, tuple or shape"),
        (lambda: ____ < 3, "a number to compare"),
        (lambda: ____(), "something it can call"),
        (lambda: bool(____), "True or False"),
        (lambda: ____.fit, "`.fit` attribute"),
    ],
)
def test_using_the_blank_raises_a_friendly_error(use, needed):
    with pytest.raises(PlaceholderError) as error:
        use()
    assert needed in str(error.value)
    assert "Replace ____ with your answer" in str(error.value)
    assert error.value._render_traceback_()[0].startswith("✏️")


def test_blank_behaves_normally_for_probes():
    assert not hasattr(____, "shape")  # attribute probes give False rather than crashing
    assert not hasattr(____, "_repr_html_")
    assert ____ == ____ and ____ != 0
    assert hash(____) == hash(____)
    assert getattr(____, "__len__")  # the method exists; calling it is what fails


def test_blank_inside_keras_code_is_recognised_by_the_handler():
    with pytest.raises(PlaceholderError):
        keras.Input(shape=____)  # Keras iterates over the shape
    with pytest.raises(ValueError) as error:
        keras.layers.Dense(units=____)
    assert core._involves_placeholder(error.value)
    assert not core._involves_placeholder(ValueError("some other problem"))
    # exceptions chained from a blank error count too
    try:
        try:
            int(____)
        except PlaceholderError as inner:
            raise RuntimeError("wrapped") from inner
    except RuntimeError as outer:
        assert core._involves_placeholder(outer)


@pytest.mark.parametrize(
    "answer, found",
    [
        (____, True),
        ([1, ____], True),
        ((1, (2, [____])), True),
        ({"a": ____}, True),
        ({____: 1}, True),
        ({1, 2}, False),
        (np.array([1, ____], dtype=object), True),
        (np.array([1.0, 2.0]), False),
        ("____", False),
        (None, False),
    ],
)
def test_contains_placeholder(answer, found):
    assert core.contains_placeholder(answer) is found


def test_contains_placeholder_survives_self_reference():
    loop = [1]
    loop.append(loop)
    assert core.contains_placeholder(loop) is False


class FakeShell:
    """Records what the IPython handler would show."""

    def __init__(self):
        self.shown = []

    def _showtraceback(self, etype, value, stb):
        self.shown.append(("friendly", stb))

    def showtraceback(self, exc_tuple=None, tb_offset=None, running_compiled_code=False):
        self.shown.append(("default", exc_tuple[0]))


def test_ipython_handler_shows_one_line_for_blanks_and_full_tracebacks_otherwise():
    shell = FakeShell()
    try:
        keras.layers.Dense(units=____)  # Keras raises its own ValueError that mentions ____
    except ValueError as error:
        core._placeholder_exception_handler(shell, ValueError, error, error.__traceback__)
    try:
        1 / 0
    except ZeroDivisionError as error:
        core._placeholder_exception_handler(shell, ZeroDivisionError, error, error.__traceback__)
    (kind1, stb), (kind2, etype) = shell.shown
    assert kind1 == "friendly" and len(stb) == 1 and "____ blank" in stb[0]
    assert kind2 == "default" and etype is ZeroDivisionError


def test_ipython_handler_shows_other_learner_errors_briefly():
    from helpers.errors import LearnerError

    shell = FakeShell()
    error = LearnerError("Connect to the internet, then run this cell again.")
    core._placeholder_exception_handler(shell, LearnerError, error, None)
    [(kind, stb)] = shell.shown
    assert kind == "friendly" and len(stb) == 1
    assert "LearnerError" in stb[0] and "Connect to the internet" in stb[0]
    assert issubclass(PlaceholderError, LearnerError)


def test_handler_registration_is_skipped_outside_ipython():
    assert core._register_ipython_handler() is False


# --- Feedback --------------------------------------------------------------------------------


def test_feedback_truthiness_and_validation():
    assert Feedback("correct", "q1", "yes")
    for status in ["incorrect", "not_attempted", "hint", "solution", "answer"]:
        assert not Feedback(status, "q1", "text")
    with pytest.raises(ValueError):
        Feedback("great", "q1", "text")


def test_feedback_plain_text():
    feedback = Feedback("incorrect", "q2: A linear unit", "Use **one** `Dense` layer.")
    assert str(feedback) == "❌ Not quite (q2: A linear unit)\nUse **one** `Dense` layer."
    assert repr(feedback) == str(feedback)
    assert str(Feedback("not_attempted")) == "📝 Not attempted yet"


@pytest.mark.parametrize(
    "status, heading, colour",
    [
        ("correct", "✅ Correct", "#009E73"),
        ("incorrect", "❌ Not quite", "#D55E00"),
        ("not_attempted", "📝 Not attempted yet", "#999999"),
        ("hint", "💡 Hint", "#E69F00"),
        ("solution", "🔎 Solution", "#0072B2"),
        ("answer", "💬 A model answer", "#CC79A7"),
    ],
)
def test_feedback_html_has_coloured_border_and_heading(status, heading, colour):
    html = Feedback(status, "q1", "Some *text*.")._repr_html_()
    assert f"border-left: 6px solid {colour}" in html
    assert heading in html
    assert "<em>text</em>" in html


def test_feedback_html_renders_markdown_code_blocks_and_escapes_html():
    message = "Try this:\n\n```python\nmodel = keras.Sequential([keras.layers.Dense(1)])\n```\n\nand <b>not</b> `x < 3`"
    html = Feedback("solution", "q1 <script>", message)._repr_html_()
    assert "<pre" in html and "<code>" in html
    assert "Sequential" in html
    # highlighted: keywords/names wrapped in styled spans
    assert "<span style=" in html
    assert "&lt;b&gt;not&lt;/b&gt;" in html  # raw HTML in a message is shown, not executed
    assert "<code>x &lt; 3</code>" in html
    assert "<script>" not in html


def test_feedback_mimebundle_offers_html_markdown_and_text():
    bundle = Feedback("hint", "q1", "Look at `X.shape`.")._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/markdown", "text/plain"}
    assert bundle["text/markdown"].startswith("**💡 Hint** — q1")
    assert bundle["text/plain"] == "💡 Hint (q1)\nLook at `X.shape`."


def test_feedback_message_is_dedented():
    feedback = Feedback("hint", "", """
        first line
          indented
    """)
    assert feedback.message == "first line\n  indented"


# --- Question.check ---------------------------------------------------------------------------


def test_correct_answer(linear_unit):
    feedback = LinearUnit("q2").check(linear_unit)
    assert feedback.status == "correct" and feedback
    assert feedback.title == "q2: A linear unit"
    assert "Eleven weights and one bias." in feedback.message


@pytest.mark.parametrize("answer", [____, [____], (1, ____), {"model": ____}])
def test_blank_gives_not_attempted(answer):
    feedback = LinearUnit("q2").check(answer)
    assert feedback.status == "not_attempted"
    assert "Replace the `____` blank" in feedback.message


def test_incorrect_carries_the_specific_message():
    feedback = LinearUnit("q2").check(keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)]))
    assert feedback.status == "incorrect"
    assert feedback.message == (
        "Your model expects inputs of shape (None, 3): 3 numbers per example. "
        "The red wine data has 11 features, so use `keras.Input(shape=(11,))`."
    )


def test_wrong_number_of_answers_is_explained():
    question = TwoAnswers("q3")
    too_few = question.check(1)
    assert too_few.status == "incorrect"
    assert too_few.message.startswith("`q3.check(weights, bias)` takes 2 answers; you passed 1.")
    too_many = question.check(1, 2, 3)
    assert "you passed 3" in too_many.message
    unknown = question.check(1, biases=2)
    assert "I do not know the name 'biases'" in unknown.message
    assert question.check(weights=1, bias=0).status == "correct"


def test_unexpected_exceptions_become_readable_feedback():
    class Fragile(Question):
        expected = "a Keras model"

        def _check(self, model):
            return model.layers[0]

    feedback = Fragile("q1").check(42)
    assert feedback.status == "incorrect"
    assert feedback.message.startswith("I could not check this answer: it is an `int`, and I expected a Keras model.")
    assert "AttributeError" in feedback.message


def test_placeholder_used_inside_check_counts_as_not_attempted():
    class UsesBlank(Question):
        def _check(self, value):
            return int(value.number)

    class Holder:
        number = ____

    assert UsesBlank("q1").check(Holder()).status == "not_attempted"


def test_hint_and_solution():
    question = LinearUnit("q2")
    hint, solution = question.hint(), question.solution()
    assert hint.status == "hint"
    assert hint.message.startswith("Use `keras.Input(shape=(11,))` first.")
    assert "`q2.solution()`" in hint.message and "hint(2)" not in hint.message  # a str is one step
    assert solution.status == "solution" and "keras.Sequential" in solution.message
    assert "q2.check(...)" in repr(question)


class SteppedHints(LinearUnit):
    hint_text = [
        "How many numbers describe one wine?",
        """
        The input comes first:
        `keras.Input(shape=...)`.
        """,
        "Then one `Dense(1)` layer.",
    ]


def test_hints_come_in_steps_and_each_says_how_to_get_the_next():
    question = SteppedHints("q2")
    first, second, last = question.hint(), question.hint(2), question.hint(3)
    assert first.message.startswith("How many numbers describe one wine?")
    assert "`q2.hint(2)`" in first.message and "keras.Input" not in first.message
    assert first.title == "q2: A linear unit · hint 1 of 3"
    assert second.message.startswith("The input comes first:\n`keras.Input(shape=...)`.")  # dedented
    assert "`q2.hint(3)`" in second.message
    assert last.message.startswith("Then one `Dense(1)` layer.")
    assert "last hint" in last.message and "`q2.solution()`" in last.message
    assert question.hint(1) == first and question.hint("2") == second and question.hint(np.int64(3)) == last


@pytest.mark.parametrize("step", [0, 4, -1, 2.5, "two", None, True, ____, np.int64(7)])
def test_a_hint_step_out_of_range_is_explained(step):
    feedback = SteppedHints("q2").hint(step)
    assert feedback.status == "hint"
    assert "`q2` has 3 hints" in feedback.message and "`q2.hint(3)`" in feedback.message
    assert "How many numbers" not in feedback.message


def test_a_single_hint_out_of_range():
    feedback = LinearUnit("q2").hint(2)
    assert "`q2` has one hint: run `q2.hint()`." in feedback.message


def test_empty_hint_steps_fall_back_to_the_default_hint():
    class NoHint(LinearUnit):
        hint_text = ["", "  "]

    assert NoHint("q1").hint_steps == [Question.hint_text]


class Think(DiscussionQuestion):
    title = "Why?"
    hint_text = ["Look at the weights before training.", "Where do their values come from?"]
    answer_text = "Because the weights start random."


def test_discussion_question_shows_the_model_answer_next_to_a_real_answer():
    feedback = Think("q4").check("I think the weights are random before any training.")
    assert feedback.status == "answer"
    assert "Because the weights start random." in feedback.message
    assert "> I think the weights are random before any training." in feedback.message  # their own words
    assert Think("q4").check(answer="Random initial weights give a random line.").status == "answer"


@pytest.mark.parametrize(
    "unanswered, reason",
    [
        (____, "still the `____` blank"),
        ([____], "still the `____` blank"),
        ("", "empty"),
        ("   \n  ", "empty"),
        ('\n____\n', "still contains the `____` blank"),
        ("The weights ____ random", "still contains the `____` blank"),
        ("random weights", "2 words"),
        ("It is random.", "3 words"),
        ("?!", "empty"),
        (42, "as text between the quotes"),
        (None, "as text between the quotes"),
    ],
)
def test_discussion_question_asks_for_an_own_answer_first(unanswered, reason):
    feedback = Think("q4").check(unanswered)
    assert feedback.status == "not_attempted"
    assert reason in feedback.message
    assert "start random" not in feedback.message


def test_discussion_question_reveals_nothing_without_an_answer():
    question = Think("q4")
    for feedback in [question.check(), question.solution(), question.check("a", "b c d e f")]:
        assert feedback.status == "not_attempted"
        assert "start random" not in feedback.message
    assert "`q4.check(answer)`" in question.solution().message
    assert "write your answer" in question.hint(2).message.lower()
    assert "start random" not in question.hint(1).message + question.hint(2).message


def test_discussion_question_in_strict_mode_never_raises(monkeypatch):
    monkeypatch.setenv(core.STRICT_ENV_VAR, "1")
    assert Think("q4").check().status == "not_attempted"
    assert Think("q4").check(____).status == "not_attempted"


# --- open challenge --------------------------------------------------------------------------


TEST_TARGETS = np.linspace(0.0, 9.0, 10)


class BeatTheMedian(OpenChallenge):
    title = "Open challenge"
    metric = "test MAE"
    higher_is_better = False
    target = 0.5
    baseline_name = "always predicting the median"
    reference = (0.40, 0.45)
    ideas = "Try a wider network."

    def _score(self, predictions, y_test):
        self._require_held_out(y_test, TEST_TARGETS)
        return float(np.mean(np.abs(np.asarray(predictions, dtype=float) - TEST_TARGETS)))

    def _baseline_score(self):
        return float(np.mean(np.abs(np.median(TEST_TARGETS) - TEST_TARGETS)))  # 2.5


class BeatTheMajority(BeatTheMedian):
    metric = "test accuracy"
    higher_is_better = True
    target = 0.8
    baseline_name = "always predicting the majority class"
    reference = (0.84, 0.86)

    def _score(self, accuracy):
        return accuracy

    def _baseline_score(self):
        return 0.6


@pytest.mark.parametrize(
    "offset, status, verdict",
    [
        (0.3, "correct", "beat the reference solution"),
        (0.42, "correct", "on a par with the reference solution"),
        (0.48, "correct", "the reference solution did a little better"),
        (0.5, "correct", "the reference solution did a little better"),  # the target itself is met
        (1.0, "incorrect", "beats always predicting the median by 1.500, so it has learned something, but it is 0.500 short"),
        (3.0, "incorrect", "does no better than always predicting the median"),
    ],
)
def test_open_challenge_compares_with_target_baseline_and_reference(offset, status, verdict):
    feedback = BeatTheMedian("q6").check(TEST_TARGETS + offset, TEST_TARGETS)
    assert feedback.status == status
    assert verdict in feedback.message
    assert f"| **your model** | **{offset:.3f}** |" in feedback.message
    assert "| target | at most 0.500 |" in feedback.message
    assert "| baseline: always predicting the median | 2.500 |" in feedback.message
    assert "| reference solution, seeds 0-2 | 0.400 to 0.450 |" in feedback.message
    assert ("Try a wider network." in feedback.message) == (status == "incorrect")


@pytest.mark.parametrize("accuracy, status", [(0.9, "correct"), (0.8, "correct"), (0.79, "incorrect"), (0.5, "incorrect")])
def test_open_challenge_where_higher_is_better(accuracy, status):
    feedback = BeatTheMajority("q6").check(accuracy)
    assert feedback.status == status
    assert "| target | at least 0.800 |" in feedback.message


def test_open_challenge_insists_on_the_held_out_data():
    question = BeatTheMedian("q6")
    short = question.check(TEST_TARGETS[:5], TEST_TARGETS[:5])
    assert short.status == "incorrect" and "has 5 values, but the test split the notebook prepared has 10" in short.message
    shuffled = question.check(TEST_TARGETS, TEST_TARGETS[::-1])
    assert shuffled.status == "incorrect" and "right length but not the same values" in shuffled.message
    text = question.check(TEST_TARGETS, "y_test")
    assert text.status == "incorrect" and "not a column of numbers" in text.message
    assert question.check(____, TEST_TARGETS).status == "not_attempted"
    assert "`q6.check(predictions, y_test)` takes 2 answers" in question.check(TEST_TARGETS).message


def test_open_challenge_explains_a_diverged_model():
    feedback = BeatTheMajority("q6").check(float("nan"))
    assert feedback.status == "incorrect" and "diverged" in feedback.message


def test_open_challenge_in_strict_mode_fails_a_reference_that_misses_the_target(monkeypatch, capsys):
    monkeypatch.setenv(core.STRICT_ENV_VAR, "1")
    with pytest.raises(AssertionError, match="short of the target"):
        BeatTheMedian("q6").check(TEST_TARGETS + 1.0, TEST_TARGETS)
    assert BeatTheMedian("q6").check(TEST_TARGETS + 0.4, TEST_TARGETS).status == "correct"


# --- progress --------------------------------------------------------------------------------


def test_passing_checks_and_discussion_answers_record_progress(monkeypatch, tmp_path, linear_unit):
    from helpers import progress

    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "progress.json"))
    question, think = LinearUnit("q2"), Think("q4")
    question.exercise = think.exercise = 7
    question.check(None)
    think.check("too short")
    think.check()
    assert progress.done() == {}
    question.check(linear_unit)
    assert progress.done() == {7: {"q2"}}
    think.check("The weights are random before training starts.")
    assert progress.done() == {7: {"q2", "q4"}}


def test_questions_know_their_exercise_from_their_module():
    from helpers.exercises import exercise1, exercise3

    assert exercise1.q1.exercise_number == 1  # an instance of a shared class from questions.py
    assert exercise3.q2.exercise_number == 3
    assert LinearUnit("q2").exercise_number is None  # defined here, in no exercise: not recorded


def test_a_broken_progress_file_never_breaks_a_check(monkeypatch, tmp_path, linear_unit):
    from helpers import progress

    folder = tmp_path / "progress.json"
    folder.mkdir()  # a folder where the file should be: neither readable nor writable as a file
    monkeypatch.setenv(progress.ENV_VAR, str(folder))
    question = LinearUnit("q2")
    question.exercise = 7
    assert question.check(linear_unit).status == "correct"

    def explode(*args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(progress, "record", explode)
    assert question.check(linear_unit).status == "correct"


# --- strict mode -----------------------------------------------------------------------------


def test_strict_mode_raises_only_for_incorrect(monkeypatch, capsys, linear_unit):
    monkeypatch.setenv(core.STRICT_ENV_VAR, "1")
    question = LinearUnit("q2")
    with pytest.raises(AssertionError, match="q2: A linear unit: Your model is `None`"):
        question.check(None)
    assert "❌ Not quite" in capsys.readouterr().out  # displayed before raising
    assert question.check(____).status == "not_attempted"
    assert question.check(linear_unit).status == "correct"


@pytest.mark.parametrize("value, enabled", [("1", True), ("true", True), ("0", False), ("", False)])
def test_strict_mode_switch(monkeypatch, value, enabled):
    monkeypatch.setenv(core.STRICT_ENV_VAR, value)
    assert core.strict_checks_enabled() is enabled


# --- inspect_model ---------------------------------------------------------------------------


def _message(function, *args, **kwargs):
    with pytest.raises(Incorrect) as error:
        function(*args, **kwargs)
    return error.value.message


@pytest.mark.parametrize(
    "answer, expected",
    [
        (None, "Your model is `None`."),
        (keras.Sequential, "Your model is the class `Sequential` itself"),
        (keras.layers.Dense(1), "Your model is a single `Dense` layer, not a model."),
        ([keras.layers.Dense(1)], "Your model is a plain list of layers."),
        ([1, 2], "Your model is a `list`, not a Keras model."),
        ("model", "Your model is the text 'model'"),
        (keras.callbacks.History(), "is the `History` that `fit()` returns"),
        (np.zeros(3), "Your model is a `ndarray`, not a Keras model."),
    ],
)
def test_require_model_messages(answer, expected):
    assert expected in _message(im.require_model, answer)


def test_require_model_names_other_frameworks():
    from sklearn.linear_model import LinearRegression

    assert "scikit-learn `LinearRegression`" in _message(im.require_model, LinearRegression())
    torch = pytest.importorskip("torch")
    assert "PyTorch" in _message(im.require_model, torch.nn.Linear(2, 1))


def test_require_input_shape(linear_unit):
    im.require_input_shape(linear_unit, (11,))
    assert im.model_input_shape(linear_unit) == (None, 11)
    assert _message(im.require_input_shape, linear_unit, (8,)) == (
        "Your model expects inputs of shape (None, 11): 11 numbers per example. Use `keras.Input(shape=(8,))`."
    )
    unbuilt = keras.Sequential([keras.layers.Dense(1)])
    assert _message(im.require_input_shape, unbuilt, (8,)) == (
        "Your model does not know its input shape yet. Start the list of layers with `keras.Input(shape=(8,))`."
    )
    image_model = keras.Sequential([keras.Input(shape=(4, 4)), keras.layers.Dense(1)])
    assert "each example of shape (4, 4)" in _message(im.require_input_shape, image_model, (16,))


@pytest.mark.parametrize(
    "value, expected",
    [
        ((11,), (11,)),
        ([11], (11,)),
        ((np.int64(11),), (11,)),
        ((11.0,), (11,)),
    ],
)
def test_as_shape_accepts_sensible_forms(value, expected):
    assert im.as_shape(value) == expected


def test_as_shape_accepts_keras_input():
    assert im.as_shape(keras.Input(shape=(11,))) == (11,)


@pytest.mark.parametrize(
    "value, expected",
    [
        (11, "`11` is a plain number, but the input shape is a *tuple*: write `(11,)`."),
        ("(11,)", "The input shape is the text '(11,)'"),
        ((11.5,), "contains 11.5; every entry of a shape must be a whole number"),
        (np.zeros((5, 11)), "You passed an array or table of shape (5, 11), not the input shape."),
        (None, "should be a tuple such as `(5,)`; you passed a `NoneType`"),
        (True, "The input shape is `True`"),
    ],
)
def test_as_shape_messages(value, expected):
    assert expected in _message(im.as_shape, value)


def test_require_shape_mismatch():
    assert im.require_shape([8], (8,)) == (8,)
    assert _message(im.require_shape, (12,), (11,)) == "The input shape you gave is (12,); it should be (11,)."


def test_activation_name():
    assert im.activation_name(None) == "linear"
    assert im.activation_name("ReLU") == "relu"
    assert im.activation_name(keras.activations.relu) == "relu"
    assert im.activation_name(keras.layers.Dense(2).activation) == "linear"
    assert im.activation_name(keras.layers.Dense(2, activation="sigmoid").activation) == "sigmoid"


def test_layer_summary_folds_activation_layers(deep_model, deep_model_separate):
    expected = [(16, "relu"), (16, "relu"), (1, "linear")]
    assert im.layer_summary(deep_model) == expected
    assert im.layer_summary(deep_model_separate) == expected
    assert len(im.dense_layers(deep_model_separate)) == 3


def test_require_dense_stack_accepts_both_styles(deep_model, deep_model_separate):
    spec = dict(units=[16, 16, 1], activations=["relu", "relu", "linear"])
    im.require_dense_stack(deep_model, **spec)
    im.require_dense_stack(deep_model_separate, **spec)
    im.require_dense_stack(deep_model_separate, separate_activations=True, **spec)
    im.require_dense_stack(deep_model, separate_activations=False, **spec)
    assert "leave the activation out of `Dense(...)`" in _message(
        im.require_dense_stack, deep_model, separate_activations=True, **spec
    )
    assert "rather than in separate activation layers" in _message(
        im.require_dense_stack, deep_model_separate, separate_activations=False, **spec
    )


def test_require_dense_stack_messages(deep_model):
    assert _message(im.require_dense_stack, deep_model, [16, 1], ["relu", "linear"]) == (
        "Your model has 3 Dense layers (16 units with 'relu'; 16 units with 'relu'; 1 unit with no activation); "
        "this one needs 2 (1 hidden layer and an output layer): 16 units with 'relu'; 1 unit with no activation."
    )
    assert _message(im.require_dense_stack, deep_model, [16, 32, 1], ["relu", "relu", "linear"]) == (
        "The 2nd Dense layer has 16 units; it should have 32: `Dense(32, activation='relu')`."
    )
    assert _message(im.require_dense_stack, deep_model, [16, 16, 1], ["relu", "relu", "sigmoid"]) == (
        "The output layer has no activation, so it is linear. Give it `activation='sigmoid'` "
        "(or follow it with `keras.layers.Activation(...)`)."
    )
    assert _message(im.require_dense_stack, deep_model, [16, 16, 1], ["relu", "elu", "linear"]) == (
        "The 2nd Dense layer uses activation 'relu'; this exercise asks for 'elu'."
    )
    relu_output = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(4, "relu"), keras.layers.Dense(1, "relu")])
    assert _message(im.require_dense_stack, relu_output, [4, 1], ["relu", "linear"]) == (
        "The output layer has activation 'relu'. It should have none (linear), so that it can output "
        "any number, as a regression model must. Remove the activation."
    )
    with_dropout = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dropout(0.1), keras.layers.Dense(1)])
    assert "has a `Dropout` layer" in _message(im.require_dense_stack, with_dropout, [1], ["linear"])
    im.require_dense_stack(with_dropout, [1], ["linear"], allowed_other_layers=(keras.layers.Dropout,))


def test_activation_layer_misuse():
    leading = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Activation("relu"), keras.layers.Dense(1)])
    assert "applies activation 'relu' to the inputs, before any `Dense` layer" in _message(im.layer_summary, leading)
    doubled = keras.Sequential(
        [keras.Input(shape=(8,)), keras.layers.Dense(4, "relu"), keras.layers.Activation("relu"), keras.layers.Dense(1)]
    )
    assert "already has activation 'relu'" in _message(im.layer_summary, doubled)


@pytest.mark.parametrize(
    "loss, name",
    [
        ("mae", "mae"),
        ("MAE", "mae"),
        ("mean_absolute_error", "mae"),
        (keras.losses.MeanAbsoluteError(), "mae"),
        (keras.losses.mean_absolute_error, "mae"),
        ("mse", "mse"),
        (keras.losses.BinaryCrossentropy(), "binary_crossentropy"),
        (None, None),
    ],
)
def test_loss_name(loss, name):
    assert im.loss_name(loss) == name


@pytest.mark.parametrize(
    "optimizer, name", [("adam", "adam"), ("Adam", "adam"), (keras.optimizers.SGD(), "sgd"), ("rmsprop", "rmsprop")]
)
def test_optimizer_name(optimizer, name):
    assert im.optimizer_name(optimizer) == name


def test_require_compiled():
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    assert _message(im.require_compiled, model, loss="mae", optimizer="adam") == (
        "Your model is not compiled yet: call `model.compile(optimizer='adam', loss='mae')` before checking."
    )
    model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.MeanAbsoluteError())
    im.require_compiled(model, loss="mae", optimizer="adam")
    model.compile(optimizer="adam", loss="mse")
    assert _message(im.require_compiled, model, loss="mae", optimizer="adam") == (
        "Your model is compiled with loss 'mse' (the mean squared error); this task asks for "
        "the mean absolute error: `loss='mae'`."
    )
    model.compile(optimizer="sgd", loss="mae")
    assert _message(im.require_compiled, model, loss="mae", optimizer="adam") == (
        "Your model is compiled with the 'sgd' optimizer; this task asks for `optimizer='adam'`."
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["binary_accuracy"])
    im.require_compiled(model, loss="binary_crossentropy", metrics=["binary_accuracy"])
    assert "Add `metrics=['auc']`" in _message(im.require_compiled, model, metrics=["auc"])


def test_require_early_stopping():
    good = keras.callbacks.EarlyStopping(min_delta=0.001, patience=20, restore_best_weights=True)
    im.require_early_stopping(good, min_delta=0.001, patience=20, restore_best_weights=True)
    im.require_early_stopping([good], min_delta=0.001, patience=20)
    swapped = keras.callbacks.EarlyStopping(min_delta=20, patience=5)
    assert "look swapped" in _message(im.require_early_stopping, swapped, min_delta=5, patience=20)
    assert _message(im.require_early_stopping, good, patience=10) == "`patience` is 20; it should be 10 epochs."
    assert _message(im.require_early_stopping, good, min_delta=0.01) == "`min_delta` is 0.001; it should be 0.01."
    no_restore = keras.callbacks.EarlyStopping(patience=20)
    assert "`restore_best_weights` is False; set it to True" in _message(
        im.require_early_stopping, no_restore, restore_best_weights=True
    )
    assert "watches 'val_loss'" in _message(im.require_early_stopping, good, monitor="loss")
    assert "create one" in _message(im.require_early_stopping, keras.callbacks.EarlyStopping)
    assert "this is a `str`" in _message(im.require_early_stopping, "early stopping")


def test_is_close():
    assert im.is_close(0.1 + 0.2, 0.3)
    assert not im.is_close(0.31, 0.3)
    assert im.is_close(0.31, 0.3, rel_tol=0.05)
    assert not im.is_close("x", 1) and not im.is_close(float("nan"), float("nan"))


def test_require_number():
    assert im.require_number(np.float32(0.5), 0.5) == 0.5
    assert im.require_number(np.array([[2.0]]), 2.0) == 2.0
    assert im.require_number(3, minimum=0, maximum=5) == 3.0
    assert _message(im.require_number, "0.5", 0.5) == "Your answer is the text '0.5'; remove the quotes so it is a number."
    assert _message(im.require_number, "half", 0.5) == "Your answer is the text 'half'; I expected a number."
    assert _message(im.require_number, 0.7, 0.5) == "Your answer is 0.7; I expected about 0.5."
    assert _message(im.require_number, np.zeros(3), 0.5) == (
        "Your answer is an array of shape (3,); I expected a single number."
    )
    assert "NaN" in _message(im.require_number, float("nan"))
    assert "at least 1" in _message(im.require_number, 0, minimum=1)
    assert "at most 1" in _message(im.require_number, 2, maximum=1)
    assert "`True`" in _message(im.require_number, True)


def test_require_array_shape(linear_unit):
    kernel, bias = linear_unit.weights
    assert im.require_array_shape(kernel, (11, 1), "the kernel") == (11, 1)
    assert im.require_array_shape(np.zeros((5, 2)), (None, 2)) == (5, 2)
    assert _message(im.require_array_shape, bias, (11, 1), "the kernel") == "The kernel has shape (1,); I expected (11, 1)."
    assert "I expected (any, 2)" in _message(im.require_array_shape, np.zeros(2), (None, 2))
    assert "is a Python list" in _message(im.require_array_shape, [1, 2], (2,))
    assert "is an `int`; I expected an array" in _message(im.require_array_shape, 3, (2,))


def test_ordinal():
    assert [im.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"
    ]
