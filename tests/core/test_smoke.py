import pytest

pytestmark = pytest.mark.django_db


def test_home_page_renders_the_dsfr_shell_with_footer_links(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Portail des comités territoriaux pour l'emploi" in html
    for url in ("/accessibilite/", "/mentions-legales/", "/donnees-personnelles/", "/plan-du-site/"):
        assert f'href="{url}"' in html
