"""Passwords are never printed (issue 13), whatever characters they hold: a property draws
them from every printable character and checks every output, from :func:`redact_url` itself
to the messages of failed connections to the real servers and the command line's ``--debug``
and ``--json`` output. What is checked is that the output does not depend on the password at
all, which holds for a one-character password as for a long one."""

from __future__ import annotations

import contextlib
import io
import os
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whizbang_schema import DatabaseError, connect, redact_url
from whizbang_schema.cli import main
from whizbang_schema.live.urls import quote_password, server_url, url_secrets

POSTGRES = os.environ.get(
    "WHIZBANG_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
).rpartition("/")[0]
MARIADB = os.environ.get("WHIZBANG_TEST_MARIADB_URL", "mysql://root@127.0.0.1:3306/test")
MARIADB = MARIADB.rpartition("/")[0]

#: Every printable character, raw: ``/ @ : % # ? &`` and spaces included.
passwords = st.text(st.characters(exclude_categories=("Cs",)).filter(str.isprintable), min_size=1)


def with_password(base: str, password: str, path: str = "/wbtest_no_such_database") -> str:
    scheme, _, rest = base.partition("://")
    user = rest.split("@")[0].split(":")[0]
    host = rest.split("@")[-1]
    return f"{scheme}://{user}:{password}@{host}{path}"


@given(password=passwords)
def test_redact_url_hides_a_user_info_password_whatever_it_holds(password: str) -> None:
    url = f"postgresql://me:{password}@db.example:5432/app?sslmode=require"
    assert redact_url(url) == "postgresql://me:***@db.example:5432/app?sslmode=require"
    assert redact_url(f"cannot connect to {url}: refused") == (
        "cannot connect to postgresql://me:***@db.example:5432/app?sslmode=require: refused"
    )


@pytest.mark.parametrize("name", ["password", "sslpassword", "PASSWORD", "passwd", "pwd"])
@given(password=passwords)
def test_redact_url_hides_secret_query_parameters(name: str, password: str) -> None:
    for value in (urllib.parse.quote(password, safe=""), password.replace("&", "")):
        url = f"mysql://db.example/app?charset=utf8&{name}={value}&ssl=1"
        assert redact_url(url) in (
            f"mysql://db.example/app?charset=utf8&{name}=***&ssl=1",
            f"mysql://db.example/app?charset=utf8&{name}=***",  # an '@' in it: more hidden
        )


@given(password=passwords)
def test_a_password_reaches_the_driver_whole(password: str) -> None:
    url = f"mysql://me:{password}@db.example:3307/app"
    parts = server_url(url, ("mysql",), engine="MySQL")
    expected = urllib.parse.unquote(quote_password(f"x://u:{password}@h/d").split(":", 2)[2])
    assert (parts.host, parts.port, parts.user, parts.database) == ("db.example", 3307, "me", "app")
    assert parts.password == expected.rpartition("@")[0]
    assert url_secrets(url) == (parts.password,)


def failed_connect(url: str) -> str:
    with pytest.raises(DatabaseError) as caught:
        connect(url)
    error = caught.value
    assert error.__cause__ is None or str(error.__cause__) == str(error)
    return f"{error} | {error!r}"


@pytest.mark.parametrize("base", [POSTGRES, MARIADB], ids=["postgres", "mariadb"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(password=passwords)
def test_failed_connections_to_the_real_servers_never_show_the_password(
    base: str, password: str
) -> None:
    path = "/wbtest_no_such_database" if base == POSTGRES else "/mysql"
    reference = failed_connect(with_password(base, "reference", path))
    assert failed_connect(with_password(base, password, path)) == reference


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(password=passwords)
def test_a_password_given_as_a_query_parameter_is_never_shown(password: str) -> None:
    url = f"{POSTGRES}/wbtest_no_such_database?sslpassword=x&password="
    reference = failed_connect(url + "reference")
    assert failed_connect(url + urllib.parse.quote(password, safe="")) == reference


def cli_output(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return f"{code}\n{out.getvalue()}\n{err.getvalue()}"


@pytest.mark.parametrize("base", [POSTGRES, MARIADB], ids=["postgres", "mariadb"])
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(password=passwords)
def test_the_command_line_never_shows_the_password(base: str, password: str) -> None:
    path = "/wbtest_no_such_database" if base == POSTGRES else "/mysql"
    for flags in (["--debug"], ["--json"]):
        reference = cli_output("check", *flags, "--url", with_password(base, "reference", path))
        shown = cli_output("check", *flags, "--url", with_password(base, password, path))
        assert "***" in reference and "reference" not in reference
        assert shown == reference


@pytest.mark.parametrize("password", ["pa/ss", "p@ss:w/rd#1%", "100%", "a?b&c=d"])
def test_a_password_with_url_characters_still_connects(password: str) -> None:
    # The server trusts local connections: what is checked is that the URL still parses.
    database = connect(with_password(POSTGRES, password, "/postgres"))
    try:
        assert database.query("SELECT 1") == [(1,)]
        assert password not in repr(database)
    finally:
        database.close()
