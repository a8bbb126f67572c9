"""Institution members follow their projects' pipeline; nobody else does."""

from tests.matches.test_invitations import invite


def test_members_see_counts_and_lists_per_step(client, auth, world, make_match, make_expert):
    third = make_expert("leila@example.org", name="Leila Amrani")
    fourth = make_expert("driss@example.org", name="Driss Naciri")
    make_match(world.project, fourth)  # still suggested
    invited = make_match(world.project, world.expert)
    declined = make_match(world.project, world.other_expert)
    rejected = make_match(world.project, third, status="rejected")
    invite(world, invited)
    _, decline_link = invite(world, declined)
    client.post(decline_link)

    auth.login(world.member.email)
    client.post("/language", data={"lang": "en"})  # Nadia reads French; assertions read English
    overview = client.get("/matches/pipeline").get_data(as_text=True)
    assert "Détection précoce" in overview
    page = client.get(f"/matches/projects/{world.project.id}/pipeline").get_data(as_text=True)
    assert "Salma Bennani" in page and "Karim Alaoui" in page
    assert "Driss Naciri" not in page  # named only once an admin invites them
    assert "Leila Amrani" not in page and rejected.status == "rejected"
    assert "Declined (1)" in page and "Invited (1)" in page and "Suggested (1)" in page


def test_other_institutions_and_experts_cannot_read_a_pipeline(
    client, auth, world, make_user, make_institution
):
    elsewhere = make_institution(name="Université Mohammed V", domain="um5.ac.ma")
    make_user("prof@um5.ac.ma", role="institution", institution=elsewhere)
    auth.login("prof@um5.ac.ma")
    assert client.get(f"/matches/projects/{world.project.id}/pipeline").status_code == 404
    assert "Détection précoce" not in client.get("/matches/pipeline").get_data(as_text=True)
    auth.logout()
    auth.login(world.expert.user.email)
    assert client.get(f"/matches/projects/{world.project.id}/pipeline").status_code == 403
    assert client.get("/matches/pipeline").status_code == 403
