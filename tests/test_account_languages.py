"""Issue 20: the account screens (sign-in, submission, administration) in Chinese and Russian,
like the public pages. Each screen is rendered by the real app in zh and ru; no English
message of the account catalogue is left in what a person reads, a few known translations
are there, and the language is chosen by ``?lang=`` (then kept in a cookie), else the
browser's Accept-Language, else English."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from test_submission_flow import _csrf
from visible import text_nodes

from sdgtrack.publish.site.i18n import gettext
from sdgtrack.web.language import LANG_COOKIE, accepted, messages_used

import accounts
from accounts import PASSWORD

fast_hashing, template, world = accounts.fast_hashing, accounts.template, accounts.world

#: (who, address, status): every account screen.
SCREENS = [
    ("anonymous", "/signin", 200),
    ("kz-nso", "/submit", 200),  # a data provider: upload, submissions
    ("csos", "/submit", 200),  # a contributor: evidence and scorecards
    ("kz-nso", "/submit/{submission}", 200),
    ("admin", "/admin", 200),
    ("admin", "/admin/users", 200),
    ("admin", "/admin/loads", 200),
    ("admin", "/admin/history?series=SH_DYN_MORT&area=398", 200),
    ("admin", "/admin/evidence", 200),
    ("kz-nso", "/submit/987654", 404),  # the error page
    ("kz-nso", "/admin", 403),
]
#: A translation a person reads on a screen, per language.
KNOWN = {
    "/signin": {"zh": ["用户名", "密码"], "ru": ["Имя пользователя", "Пароль"]},
    "/submit": {"zh": ["数据提供方", "上传数据文件"], "ru": ["поставщик данных",
                                                     "Отправить файл данных"]},
    "/admin/users": {"zh": ["利益攸关方贡献者", "添加账户"],
                     "ru": ["представитель заинтересованных сторон",
                            "Добавить учётную запись"]},
    "/admin/loads": {"zh": ["回滚", "当前"], "ru": ["Откатить", "текущая"]},
    "/admin/evidence": {"zh": ["待审核", "批准"], "ru": ["ожидает модерации", "Одобрить"]},
}


def _visible(html: str) -> list[str]:
    """The text nodes and the labels a screen reader reads (aria-label)."""
    return text_nodes(html) + re.findall(r'aria-label="([^"]+)"', html)


def _english_left(nodes: list[str], lang: str) -> list[str]:
    """Messages of the account catalogue still shown in English: a node that is a message
    (with any placeholders filled), or that holds a long one."""
    _ = gettext(lang)
    text = "\n".join(nodes)
    left = []
    for msgid in messages_used():
        if _(msgid) == msgid:
            continue  # the same in both languages (none is, today)
        pattern = ".+?".join(re.escape(piece) for piece in re.split(r"%\(\w+\)s", msgid))
        if len(msgid) >= 25 or "%(" in msgid:
            if re.search(pattern, text):
                left.append(msgid)
        elif any(re.fullmatch(pattern, n.strip(" .:()")) for n in nodes):
            left.append(msgid)
    return sorted(left)


@pytest.mark.parametrize("lang", ["zh", "ru"])
@pytest.mark.parametrize("who, address, status", SCREENS)
def test_every_account_screen_is_translated(world, who, address, status, lang):
    client = world.client(who)
    address = address.format(**world.ids)
    page = client.get(f"{address}{'&' if '?' in address else '?'}lang={lang}")
    assert status == page.status_code, page.text[:300]
    assert f'<html lang="{lang}">' in page.text
    nodes = _visible(page.text)
    assert [] == _english_left(nodes, lang)
    path = address.split("?")[0]
    for known in KNOWN.get(path, {}).get(lang, []) if who != "csos" else []:
        assert any(known in n for n in nodes), known
    # the switcher: this screen in each language, its query kept
    for code in ("en", "zh", "ru"):
        assert f'hreflang="{code}"' in page.text
    if "?" in address:
        assert "/admin/history?series=SH_DYN_MORT&amp;area=398&amp;lang=en" in page.text


def test_a_contributor_reads_the_evidence_forms_in_chinese(world):
    nodes = _visible(world.client("csos").get("/submit?lang=zh").text)
    assert "提交人民记分卡（非官方）" in nodes and "利益攸关方贡献者" in " ".join(nodes)
    assert "理由，目标 17" in nodes  # the label of goal 17's rationale


def test_the_token_and_loaded_screens_are_translated(world):
    admin = world.client("admin")
    token = admin.post("/admin/users/np-cbs/tokens?lang=ru",
                       data={"label": "ci", "csrf": world.csrf("admin")})
    assert 201 == token.status_code
    assert [] == _english_left(_visible(token.text), "ru")
    assert "API-токен" in token.text and "np-cbs" in token.text
    provider = world.client("kz-nso")
    done = provider.post(f"/submit/{world.ids['submission']}/confirm?lang=zh",
                         data={"csrf": world.csrf("kz-nso")})
    assert 303 == done.status_code
    report = provider.get(f"/submit/{world.ids['submission']}")  # zh, from the cookie
    nodes = _visible(report.text)
    assert [] == _english_left(nodes, "zh")
    assert any(n.startswith("已作为加载") for n in nodes)  # "Loaded as load 2: ..."
    assert "已加载" in nodes  # the status in words
    assert 'href="/zh/series/' in report.text  # the public pages in the same language


def test_the_json_twin_keeps_the_codes_and_translates_the_title(world):
    body = world.client("admin").get("/admin/users.json?lang=zh").json()
    assert "账户" == body["title"]
    assert {"admin", "provider", "contributor"} == {u["role"] for u in body["users"]}


def test_the_language_asked_for_is_kept_in_a_cookie(world):
    client = world.client("kz-nso")
    first = client.get("/submit?lang=ru")
    assert "ru" == first.cookies.get(LANG_COOKIE)
    assert '<html lang="ru">' in client.get("/submit").text  # no ?lang: the cookie
    # the query beats the cookie, the cookie beats the browser
    assert '<html lang="zh">' in client.get("/submit?lang=zh").text
    assert '<html lang="zh">' in client.get(
        "/submit", headers={"Accept-Language": "ru"}).text
    assert '<html lang="en">' in client.get("/submit?lang=en").text
    assert '<html lang="en">' in client.get("/submit?lang=xx").text  # unknown: ignored


@pytest.mark.parametrize("header, lang, best", [
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh", "zh"), ("fr-FR, ru;q=0.5, en;q=0.4", "ru", "ru"),
    ("en-US,en;q=0.9", "en", "en"), ("fr", "en", None), ("", "en", None),
    ("ru;q=bad, zh;q=0.1", "zh", "zh"),
])
def test_without_a_choice_the_browser_language_is_used(world, header, lang, best):
    client = TestClient(world.app)
    page = client.get("/signin", headers={"Accept-Language": header} if header else {})
    assert f'<html lang="{lang}">' in page.text
    assert LANG_COOKIE not in page.cookies  # nothing asked for: nothing kept
    assert best == accepted(header)  # None: no language of the site


def test_sign_in_messages_are_translated(world):
    client = TestClient(world.app, follow_redirects=False,
                        headers={"Accept-Language": "ru-RU,ru"})
    form = client.get("/submit")  # not signed in: the form, and why
    assert 401 == form.status_code
    assert "Сначала войдите" in form.text
    token = _csrf(form.text)
    for _ in range(5):
        r = client.post("/signin", data={"username": "kz-nso", "password": "guess number",
                                         "csrf": token})
        assert 401 == r.status_code
        assert "Неверное имя пользователя или пароль" in r.text
        token = _csrf(r.text)
    r = client.post("/signin", data={"username": "kz-nso", "password": PASSWORD,
                                     "csrf": token})
    assert 429 == r.status_code
    assert "Слишком много неудачных попыток входа" in r.text
    assert re.search(r"повторите через \d+ с", r.text)
    stale = client.post("/signin", data={"username": "np-cbs", "password": PASSWORD,
                                         "csrf": "stale"})
    assert 403 == stale.status_code and "Срок действия формы входа истёк" in stale.text
