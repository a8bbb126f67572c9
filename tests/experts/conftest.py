"""Helpers for the expert profile tests: a logged-in expert and a complete profile form."""

import pytest

from diaspora.models import ExpertProfile, Role

BIO = (
    "I build machine learning models for public health at a university hospital, and I "
    "would like to help Moroccan hospitals screen patients earlier."
)


def profile_form(**overrides) -> dict:
    """What a person types into the edit form for a complete profile; None drops a field."""
    data = {
        "country": "CA",
        "city": "Montréal",
        "timezone": "",
        "languages-0-code": "ar",
        "languages-0-level": "native",
        "languages-1-code": "fr",
        "languages-1-level": "C2",
        "skills-0-name": "ML",
        "skills-0-level": "4",
        "skills-1-name": "vision par ordinateur",
        "skills-1-level": "3",
        "skills-2-name": "Python",
        "skills-2-level": "5",
        "sectors": ["health", "education"],
        "modes": ["remote", "short_mission"],
        "hours_per_month": "12",
        "headline": "Data scientist in public health",
        "bio": BIO,
        "linkedin": "https://www.linkedin.com/in/salma-bennani",
        "years_experience": "10",
        "available_from": "2027-01-15",
        "consent_matching": "y",
        "visibility": "institutions",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def expert(make_user, auth):
    """A verified expert, logged in through the client."""
    user = make_user("salma@example.org", role=Role.EXPERT, name="Salma Bennani")
    auth.login("salma@example.org")
    return user


@pytest.fixture
def save_profile(client):
    def save(**overrides):
        return client.post("/expert/profile/edit", data=profile_form(**overrides))

    return save


def profile_of(user) -> ExpertProfile | None:
    return ExpertProfile.query.filter_by(user_id=user.id).one_or_none()
