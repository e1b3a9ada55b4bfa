"""The checks of ``test_words_on_screens.py`` catch what they look for, and only that."""

from tests.core.screens import parse, unlabelled_buttons, wording_problems

PAGE = """<html lang="fr"><body>
<header><div class="fr-header__tools-links"><button class="fr-btn fr-icon-logout-box-r-line">
Se déconnecter</button></div></header>
<main>{body}</main></body></html>"""


def _buttons(body: str) -> list[str]:
    return unlabelled_buttons(parse("/page/", PAGE.format(body=body)))


def _words(body: str) -> list[str]:
    return wording_problems("/page/", parse("/page/", PAGE.format(body=body)).words)


def test_buttons_with_a_visible_label_pass():
    assert _buttons('<button class="fr-btn">Enregistrer</button>') == []
    assert (
        _buttons('<a class="fr-btn fr-btn--icon-left fr-icon-add-line" href="/">Ajouter</a>') == []
    )
    assert _buttons('<input type="submit" value="Envoyer">') == []


def test_icon_only_empty_or_screen_reader_only_buttons_fail():
    assert _buttons('<button class="fr-btn fr-icon-delete-line">Supprimer</button>')
    assert _buttons('<button class="fr-btn"><span class="fr-sr-only">Supprimer</span></button>')
    assert _buttons('<a class="fr-btn" href="/"></a>')
    assert _buttons('<input type="submit">')


def test_rule_ids_and_technical_strings_are_caught_in_text_and_attributes():
    assert _words("<p>Quorum atteint (DEC-QUORUM).</p>")
    assert _words('<select><option value="">---------</option></select>')
    assert _words('<a href="/" title="INS-AUDIT">Audit</a>')
    assert _words("<p>Committee object (3)</p>")
    assert _words("<p>This field is required.</p>")
    assert _words("<p>None</p>")


def test_plain_french_passes_and_scripts_are_not_read():
    body = (
        "<p>Le comité délibère valablement (article R. 5311-41 du code du travail).</p>"
        "<script>const DEC = 'DEC-QUORUM'; if (x === None) {}</script>"
    )
    assert _words(body) == []
