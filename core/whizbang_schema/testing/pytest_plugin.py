"""The pytest plugin of the conformance kit, loaded by pytest through the ``pytest11`` entry
point (never imported by the library, so pytest stays an optional dependency).

It registers the kit's modules for assertion rewriting before anything imports them: pytest
rewrites the test files it collects, not the libraries they import, so without this a failing
kit check would read as a bare ``AssertionError``. It also ships the fixtures a kit subclass
needs when it brings no database of its own:

* ``whizbang_url``: the scratch database to run against, from ``--whizbang-url``, the
  ``whizbang_url`` ini option or the ``WHIZBANG_TEST_URL`` environment variable (in that
  order); a test that needs it fails, saying how to set it, when none is configured.
* ``whizbang_target``: that database for one kit test, which must hold none of the kit's
  tables when the test starts; the kit drops them when it ends. A subclass that yields a fresh
  database per test overrides it with its own fixture of that name.
"""

from __future__ import annotations

import os
import pkgutil
from collections.abc import Iterator

import pytest

import whizbang_schema.testing as _kit

#: The kit's modules, named one by one: the package itself is already imported (it holds this
#: module), and pytest warns about a name it can no longer rewrite.
KIT_MODULES = tuple(
    f"{_kit.__name__}.{module.name}"
    for module in pkgutil.iter_modules(_kit.__path__)
    if module.name not in ("pytest_plugin", "databases")  # pytest plugins: imported by pytest
)
pytest.register_assert_rewrite(*KIT_MODULES)

ENVIRONMENT_VARIABLE = "WHIZBANG_TEST_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("whizbang_schema", "whizbang-schema conformance kit")
    group.addoption(
        "--whizbang-url",
        dest="whizbang_url",
        default=None,
        help=f"a scratch database for the conformance kit (or {ENVIRONMENT_VARIABLE})",
    )
    parser.addini(
        "whizbang_url",
        help="a scratch database for the conformance kit (a URL, or a path for SQLite)",
        default="",
    )


@pytest.fixture(scope="session")
def whizbang_url(pytestconfig: pytest.Config) -> str:
    """The configured scratch database; fails, saying how to configure one, when there is none."""
    url = (
        pytestconfig.getoption("whizbang_url")
        or str(pytestconfig.getini("whizbang_url") or "")
        or os.environ.get(ENVIRONMENT_VARIABLE, "")
    )
    if not url:
        pytest.fail(
            "the whizbang-schema conformance kit has no database to run against: pass "
            f"--whizbang-url=URL, set whizbang_url in the pytest ini file or "
            f"{ENVIRONMENT_VARIABLE} in the environment, or give the test class its own "
            "whizbang_target fixture",
            pytrace=False,
        )
    return url


@pytest.fixture
def whizbang_target(request: pytest.FixtureRequest, whizbang_url: str) -> Iterator[str]:
    """The configured database for one kit test, left without the kit's tables afterwards."""
    from whizbang_schema.testing.suite import ConformanceSuite

    suite = request.instance
    if not isinstance(suite, ConformanceSuite):
        yield whizbang_url
        return
    suite.require_empty(whizbang_url)
    try:
        yield whizbang_url
    finally:
        suite.drop_kit_tables(whizbang_url)
