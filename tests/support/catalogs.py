"""A language gvia does not ship, added the way a translator adds one: ``python -m gvia.locale new``
writes its catalogs from the English ones (every entry fuzzy), the translator replaces the words and
unmarks each entry, and the catalogs are compiled. Used to show that adding a language is adding
catalogs: no code names the languages."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

from gvia.locale.build import compile_catalogs, new_language

# Russian (CLDR plural forms: one, few, many — "1 день", "3 дня", "5 дней"); the rest of each
# catalog keeps the English it was started with.
RUSSIAN = {
    "web": {"nav.dashboard": "Панель", "dashboard.title": "Панель управления", "nav.customers": "Клиенты"},
    "documents": {"reminder.title": "Напоминание об оплате", "labels.date": "Дата",
                  "labels.days": ("{n} день", "{n} дня", "{n} дней")},
    "cli": {"refused": "Отказано:", "aging.title": "Задолженность на {day}"},
}


def add_language(root: Path, lang: str = "ru", words: dict | None = None) -> list[Path]:
    """Catalogs of ``lang`` under ``root``: started from English, ``words[domain][id]`` translated,
    every entry unmarked, compiled. Returns the .po files."""
    words = RUSSIAN if words is None else words
    written = new_language(lang, root)
    for po in written:
        with po.open("rb") as f:
            catalog = read_po(f, locale=lang)
        for message in catalog:
            if not message.id:
                continue
            message.flags.discard("fuzzy")
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if key in words.get(po.stem, {}):
                message.string = words[po.stem][key]
        with po.open("wb") as f:
            write_po(f, catalog, width=0)
    compile_catalogs(root)
    return written
