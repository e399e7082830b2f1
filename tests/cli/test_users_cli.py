"""Users on the command line, run as an operator runs it: secrets on stdin, acting as a
named user once users exist, the same refusals as the services, badges that scan, and
passwords that never show up in what the command prints."""

from __future__ import annotations

import json
from pathlib import Path

from app.services.demo_logins import DEMO_LOGINS
from tests.cli.runner import Cli, assert_refused, sqlite_url
from tests.documents.pdfcheck import found, scan_pages

BOSS = "boss-password-canary-1"


def _as(user: str, password: str) -> dict[str, str]:
    return {"SHIPSHAPE_USER": user, "SHIPSHAPE_PASSWORD": password}


def test_users_exist_then_every_command_acts_as_a_named_user(cli: Cli, tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "data" / "shipshape.db")
    assert cli(url, "init-db").code == 0
    added = cli(url, "users", "add", "boss", "--role", "admin", "--name", "Bo Boss", stdin=BOSS)
    assert added.code == 0, str(added)
    assert added.out.startswith("added boss (admin), badge U:")

    anonymous = cli(url, "stats")
    assert_refused(anonymous)
    assert "this database has users: name one with --user NAME" in anonymous.err

    wrong = cli(url, "stats", extra_env=_as("boss", "not-" + BOSS))
    assert_refused(wrong)
    assert "wrong password for boss" in wrong.err

    pat = cli(
        url,
        "--user",
        "boss",
        "users",
        "add",
        "pat",
        "--role",
        "packer",
        "--with-pin",
        stdin="pat-password-1\n4071\n",
        extra_env={"SHIPSHAPE_PASSWORD": BOSS},
    )
    assert pat.code == 0, str(pat)
    listed = cli(url, "users", "list", "--json", extra_env=_as("boss", BOSS))
    assert listed.code == 0, str(listed)
    assert [(u["username"], u["role"], u["pin"]) for u in json.loads(listed.out)] == [
        ("boss", "admin", False),
        ("pat", "packer", True),
    ]

    as_pat = _as("pat", "pat-password-1")
    refused = cli(url, "users", "list", extra_env=as_pat)
    assert_refused(refused)
    assert refused.err == "error: a packer may not manage users\n"
    settings = cli(url, "settings", "set", "company.phone", "0117 496 0000", extra_env=as_pat)
    assert_refused(settings)
    assert settings.err == "error: a packer may not change the site's settings\n"

    badge = tmp_path / "pat.pdf"
    printed = cli(url, "users", "badge", "pat", "--out", str(badge), extra_env=_as("boss", BOSS))
    assert printed.code == 0, str(printed)
    [pat_row] = [u for u in json.loads(listed.out) if u["username"] == "pat"]
    [page] = scan_pages(badge.read_bytes())
    assert found(page) == {("Code 128", pat_row["badge"])}

    for result in (added, anonymous, wrong, pat, listed, refused, settings, printed):
        assert BOSS not in result.out + result.err


def test_demo_data_with_logins_gives_the_readme_log_ins(
    cli: Cli, demo_db: Path, tmp_path: Path
) -> None:
    url = sqlite_url(demo_db)
    done = cli(url, "demo-data", "--orders", "0", "--logins")
    assert done.code == 0, str(done)
    assert "demo log-ins set for admin, cara, pat, pia, rex, sam" in done.out
    for user, role in (("sam", "supervisor"), ("cara", "customer service agent")):
        password, _pin = DEMO_LOGINS[user]
        refused = cli(url, "users", "list", extra_env=_as(user, password))
        assert (
            refused.err
            == f"error: a{'n' if role[0] in 'aeiou' else ''} {role} may not manage users\n"
        )
    listed = cli(url, "users", "list", extra_env=_as("admin", DEMO_LOGINS["admin"][0]))
    assert listed.code == 0 and "pat" in listed.out


def test_a_database_password_in_a_url_never_reaches_the_terminal(cli: Cli) -> None:
    canary = "db-secret-canary-77"
    result = cli(f"postgresql+psycopg://shop:{canary}@127.0.0.1:1/nowhere", "stats")
    assert_refused(result)
    assert canary not in result.out + result.err
    assert "127.0.0.1" in result.err
