"""Swedish must be complete: every interface string translated, the compiled catalogue current."""

from __future__ import annotations

from pathlib import Path

import polib
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "src" / "samverkan" / "locale" / "sv" / "LC_MESSAGES"


def test_every_swedish_string_is_translated() -> None:
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_source() -> None:
    source = polib.pofile(str(LOCALE / "django.po"))
    compiled = polib.mofile(str(LOCALE / "django.mo"))
    compiled_map = {
        (entry.msgctxt, entry.msgid): entry.msgstr for entry in compiled if not entry.msgid_plural
    }
    for entry in source.translated_entries():
        if not entry.msgid_plural:
            key = (entry.msgctxt, entry.msgid)
            assert compiled_map.get(key) == entry.msgstr, "run `make messages`"


def test_interface_speaks_swedish() -> None:
    with translation.override("sv"):
        assert translation.gettext("Agreements") == "Avtal"
        assert translation.gettext("Sign in") == "Logga in"
