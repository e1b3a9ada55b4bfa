"""``/favicon.ico``: the DSFR icon for pages without an icon link, never a 404 page."""

from django.contrib.staticfiles import finders


def test_favicon_redirects_anyone_to_the_dsfr_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("dsfr/dist/favicon/favicon.ico")
    # The icon it points at ships with the design system.
    assert finders.find("dsfr/dist/favicon/favicon.ico")
    # A redirect sets no cookie: an icon fetched late cannot renew a session or a CSRF token.
    assert not response.cookies
