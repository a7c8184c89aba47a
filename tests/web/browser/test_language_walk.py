"""Every page in the reader's language (issue 13): a real browser opens every page of the URL
configuration — taken from the configuration itself, so a new page is walked without anyone
adding it here (its keyword arguments come from tests/web/test_sealed.py's KWARGS, which already
fails for a URL it cannot fill) — as the owner, once in Hebrew and once in English, and fails on

* a blank page title (``<title> · gvia``);
* on a Hebrew page, a Latin word that is not data: the organization's and its customers' own
  values (names, addresses, numbers, notes — every text the organization's rows hold), e-mail
  addresses, URLs and the name gvia are data; everything else a person reads must be Hebrew;
* on an English page, a Hebrew word that is not data.

Not counted: text inside an element whose ``lang`` names another language (a language's own name
in the language menu, "English" / "עברית", is marked so), MIME types, and the names of the
technical standards a person sets up by name (:data:`STANDARDS`: the mail server's SMTP and
STARTTLS, the IBAN, file formats) — they have no Hebrew.

Then each form's refusal path: every URL that takes a POST is sent an empty form (with the CSRF
token), and the page that answers — the form again with its errors, or the page a refusal
redirects to with its message — is read the same way.

Pages that answer with something other than a page (a PDF, a font, a download) and the admin
(off unless GVIA_ADMIN=1, and operators' English only) are not pages a member reads.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import get_resolver

from gvia.store.models import Membership

from ..conftest import PASSWORD, make_world
from ..test_sealed import KWARGS, build, kwarg_names, objects_of, walk
from .conftest import WAIT_MS

pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKIP = {"logout"}                      # leaves the session the walk runs in
SKIP |= {"api-v1:openapi-view"}        # the REST API's documentation (Swagger UI): for programmers, English
POST_SKIP = SKIP | {"switch_org", "set_language", "password_change", "member_remove"}   # would leave the walk
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
URL = re.compile(r"(https?://|www\.)\S+|\b[\w-]+(\.[\w-]+)*\.(com|co\.il|co\.uk|org|test|example|local)\b\S*")
MIME = re.compile(r"\b(application|text|image|audio|video|message|multipart)/[\w.+-]+")
LATIN = re.compile(r"[A-Za-z]{2,}")
# products a person is told to install, which have no Hebrew names
PRODUCTS = {"google", "microsoft", "authenticator", "freeotp"}
STANDARDS = PRODUCTS | {"smtp", "imap", "ssl", "tls", "starttls", "iban", "bic", "swift", "pdf", "csv", "xlsx",
                        "xls", "ods", "png", "jpeg", "jpg", "svg", "toml", "totp", "utf", "excel", "url", "https",
                        "http", "camt", "mt", "ofx"}   # bank statement formats: CAMT.053, MT940, OFX
STANDARDS |= {"api"}                   # the REST API's keys (issue 18): "מפתחות API", as Israeli software names it
# the page's text without elements marked as another language
TEXT_OF_PAGE = """() => {
  const page = document.documentElement.lang;
  const body = document.body.cloneNode(true);
  body.querySelectorAll('[lang]').forEach(e => { if (e.lang && e.lang !== page) e.remove(); });
  body.querySelectorAll('script, style, template').forEach(e => e.remove());
  return body.innerText !== undefined && body.innerText !== '' ? body.innerText : body.textContent;
}"""
HEBREW = re.compile(r"[\u05d0-\u05ea]{2,}")


def data_words(org) -> set[str]:
    """Every word of every text the organization's rows hold (and its people's addresses)."""
    words: set[str] = {"gvia"}
    texts: list[str] = []
    for model in apps.get_app_config("gvia").get_models():
        # currencies are codes a page names in words ("שקל חדש (₪)"), not data to show as it is
        fields = [f.name for f in model._meta.get_fields()
                  if getattr(f, "get_internal_type", None) and f.get_internal_type() in ("CharField", "TextField",
                                                                                          "JSONField")
                  and "currency" not in f.name]
        if not fields:
            continue
        names = {f.name for f in model._meta.get_fields()}
        if model is type(org):
            qs = model.objects.filter(id=org.id)
        elif "organization" in names:
            qs = model.objects.filter(organization=org)
        elif "customer" in names:
            qs = model.objects.filter(customer__organization=org)
        elif "policy" in names:            # the text of its ladder, which the owner edits
            qs = model.objects.filter(policy__organization=org)
        else:
            continue
        for row in qs.values_list(*fields):
            texts.extend(str(v) for v in row if v)
    texts.extend(Membership.objects.filter(organization=org).values_list("user__email", flat=True))
    for t in texts:
        words.update(w.lower() for w in LATIN.findall(t))
        words.update(HEBREW.findall(t))
    return words


def pages(objs: dict) -> list[tuple[str, str]]:
    """(name, URL) of every page of the configuration, filled with the organization's objects (a
    URL test_sealed cannot fill fails there, and is left out here)."""
    from ..test_sealed import value_of

    out = []
    for route, name, _pattern in walk(get_resolver().url_patterns):
        if route.startswith("admin/") or name in SKIP or name is None:
            continue
        names = kwarg_names(route)
        if not names:
            out.append((name, build(route, {})))
            continue
        specs = KWARGS.get(name)
        if specs is None:
            continue
        for spec in (specs if isinstance(specs, list) else [specs]):
            values = {n: value_of(spec[n], "A", {"A": objs}) [0] for n in names}
            out.append((name, build(route, values)))
    return out


def foreign_words(text: str, lang: str, allowed: set[str]) -> set[str]:
    text = MIME.sub(" ", URL.sub(" ", EMAIL.sub(" ", text)))
    if lang == "he":
        return {w for w in LATIN.findall(text) if w.lower() not in allowed and w.lower() not in STANDARDS}
    return {w for w in HEBREW.findall(text) if w not in allowed}


def read(page, allowed: set[str], lang: str, refresh) -> list[str]:
    """What is wrong on the page now shown: a blank title, words of another language."""
    problems = []
    if not page.title().replace("· gvia", "").strip():
        problems.append("blank title")
    text = page.evaluate(TEXT_OF_PAGE)
    words = foreign_words(text, lang, allowed)
    if words:     # a page may have made data on first use (the shipped ladder): read it again
        words = foreign_words(text, lang, refresh())
    if words:
        problems.append(", ".join(sorted(words)))
    return problems


@pytest.mark.parametrize("lang", ["he", "en"])
def test_every_page_speaks_the_readers_language(browser, live_server, settings, lang):
    world = make_world()
    objs = objects_of(world.org_a, world.c1, world.inv_1001, world.owner, "alpha-note", "alpha.pdf",
                      "Alpha subject", settings)
    Membership.objects.filter(user=world.owner, organization=world.org_a).update(language=lang)
    allowed = data_words(world.org_a)
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  locale="he-IL" if lang == "he" else "en-GB")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/login/")
        page.fill("#id_username", world.owner.email)
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r"/$"))
        found: dict[str, list[str]] = {}
        walked = 0
        for name, url in pages(objs):
            answer = page.request.get(live_server.url + url)
            kind = answer.headers.get("content-type", "")
            if answer.status == 405 or not kind.startswith("text/html"):   # a form's target, or a file
                continue
            page.goto(live_server.url + url)
            walked += 1
            problems = read(page, allowed, lang, lambda: data_words(world.org_a))
            if problems:
                found[f"{name} {url}"] = problems
        assert walked >= 30, walked           # 31 pages in December 2026
        # each form's refusal path: an empty form, and the page that answers
        refused = 0
        for name, url in pages(objs):
            if name in POST_SKIP:
                continue
            token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
            answer = page.request.post(live_server.url + url, form={"csrfmiddlewaretoken": token},
                                       headers={"Referer": live_server.url + url})
            if answer.status == 405 or not answer.headers.get("content-type", "").startswith("text/html"):
                continue
            refused += 1
            page.set_content(answer.text())
            problems = read(page, allowed, lang, lambda: data_words(world.org_a))
            if problems:
                found[f"POST {name} {url}"] = problems
        assert refused >= 20, refused
        assert not found, "\n".join(f"{k}: {v}" for k, v in sorted(found.items()))
    finally:
        context.close()
