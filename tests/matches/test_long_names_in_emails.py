"""Emails whose subject carries what people typed (an expert's name, a project's title) fit the
outbox's subject column however long the name and the title are: the subject is cut after a
whole word and ends with an ellipsis. PostgreSQL refused the longest subjects
(StringDataRightTruncation), so answering an invitation failed with a 500."""

import itertools

import pytest

from diaspora.models import OutboxMessage
from diaspora.notifications.outbox import SUBJECT_LENGTH, shorten
from diaspora.services import reviews
from tests.matches.conftest import fresh

NAME_COLUMN = OutboxMessage.metadata.tables["users"].c.full_name.type.length
TITLE_COLUMN = OutboxMessage.metadata.tables["projects"].c.title.type.length
WORDS = {
    "latin": ["Détection", "précoce", "de", "la", "rétinopathie", "diabétique", "Salma"],
    "arabic": ["الكشف", "المبكر", "عن", "اعتلال", "الشبكية", "السكري", "سلمى"],
}


def longest(words: list[str], length: int) -> str:
    """`words` over and over, exactly `length` characters long."""
    text = " ".join(itertools.islice(itertools.cycle(words), length))[:length]
    return text[:-1] + "x" if text.endswith(" ") else text


@pytest.mark.parametrize("script", ["latin", "arabic"])
@pytest.mark.parametrize(
    "answer, status, kind",
    [
        ("accept", "accepted", "invitation_accepted"),
        ("decline", "declined", "invitation_declined"),
    ],
)
def test_answering_with_the_longest_name_and_title_tells_every_member(
    client, auth, world, make_expert, make_project, make_match, outbox, script, answer, status, kind
):
    name = longest(WORDS[script], NAME_COLUMN)
    title = longest(WORDS[script], TITLE_COLUMN)
    assert (len(name), len(title)) == (NAME_COLUMN, TITLE_COLUMN)
    project = make_project(world.institution, title=title)
    match = make_match(project, make_expert("long@example.org", name=name))
    reviews.approve(world.admin, match.id)
    auth.login("long@example.org")

    response = client.post(f"/matches/{match.id}/{answer}", data={"reason": "Trop occupée"})

    assert response.status_code == 302
    assert fresh(match).status == status
    told = outbox(kind=kind)
    # Nadia reads French, Omar Arabic: both subjects are too long whole, both are cut.
    assert {m.to_address for m in told} == {"nadia@sante.gov.ma", "omar@sante.gov.ma"}
    for message in told:
        assert len(message.subject) <= SUBJECT_LENGTH
        assert message.subject.endswith("…")
        assert message.subject[:-1].split()[-1] in WORDS[script]  # a whole word before it
    [invitation] = outbox(kind="invitation")
    assert invitation.subject.endswith(title)  # short enough: left whole


@pytest.mark.parametrize(
    "text, limit, shortened",
    [
        ("Invitation: Vision", 255, "Invitation: Vision"),
        ("ab cd ef", 8, "ab cd ef"),
        ("ab cd ef", 7, "ab cd…"),
        ("ab cd ef", 6, "ab cd…"),
        ("ab cdef", 6, "ab…"),
        ("abcdefgh", 5, "abcd…"),
        ("الكشف المبكر عن اعتلال", 15, "الكشف المبكر…"),
    ],
)
def test_a_subject_is_cut_after_a_whole_word(text, limit, shortened):
    assert shorten(text, limit) == shortened
    assert len(shorten(text, limit)) <= limit
