"""What every piece of feedback a learner can get must be, whatever they typed (the fuzz tests use it)."""

from helpers.exercises import Feedback

CHECK_STATUSES = ("correct", "incorrect", "not_attempted", "answer")


def assert_readable(feedback, statuses=CHECK_STATUSES):
    assert isinstance(feedback, Feedback), f"check returned {type(feedback).__name__}, not a Feedback"
    assert feedback.status in statuses
    assert isinstance(feedback.message, str) and feedback.message.strip()
    assert "Traceback" not in feedback.message
    # Both displays must work, or the learner sees an error instead of the message.
    assert str(feedback).strip()
    assert feedback._repr_html_().startswith("<div")


def nested(leaves, max_dict_size: int = 2):
    """Answers made of ``leaves``: a leaf itself, or lists, pairs and small dicts of answers."""
    from hypothesis import strategies as st

    return st.recursive(
        leaves,
        lambda children: st.one_of(st.lists(children, max_size=3), st.tuples(children, children),
                                   st.dictionaries(st.text(max_size=5), children, max_size=max_dict_size)),
        max_leaves=4,
    )
