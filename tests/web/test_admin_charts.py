"""The admins' insights and exposure pages: charts with a name and a table, the funnel month by
month, and countries by name rather than code."""

from diaspora.models import Role


def test_insights_draw_the_funnel_month_by_month_beside_its_table(client, auth, every_role):
    auth.login(every_role.users["admin"].email)
    page = client.get("/admin/insights").get_data(as_text=True)
    assert 'id="chart-funnel-by-month"' in page and 'role="img"' in page
    assert '<title id="chart-funnel-by-month-title">The funnel month by month</title>' in page
    section = page.split('id="funnel-by-month"', 1)[1]
    # The world's invitation and suggestion were made this month: the last row counts them.
    last_row = section.split("</tbody>")[0].rsplit("<tr>", 1)[1]
    assert '<td class="text-end">3</td>' in last_row  # suggested (the collaboration's too)


def test_exposure_names_countries_in_the_readers_language(client, auth, every_role, make_user):
    auth.login(every_role.users["admin"].email)
    page = client.get("/admin/exposure").get_data(as_text=True)
    assert "United Arab Emirates" in page
    assert "<td>AE</td>" not in page
    assert 'id="chart-exposure"' in page
    client.post("/language", data={"lang": "ar"})
    assert "الإمارات العربية المتحدة" in client.get("/admin/exposure").get_data(as_text=True)


def test_admin_charts_are_for_admins_only(client, auth, make_user):
    make_user("expert@example.org", role=Role.EXPERT)
    auth.login("expert@example.org")
    assert client.get("/admin/insights").status_code == 403
