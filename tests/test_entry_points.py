"""The registry's entry-point reader finds exactly what importlib.metadata finds.

It exists only to spare start-up the import of importlib.metadata (see
``whizbang_schema.entrypoints``), so it is held to the standard library's answer: on this
environment, and on made-up ones with the cases that matter (egg-info, a distribution present
twice on the path, sections and comments, a zip archive on the path).
"""

from __future__ import annotations

import sys
import zipfile
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from whizbang_schema.plugins.entrypoints import find_entry_points


def standard(group: str) -> list[tuple[str, str, str | None, str | None]]:
    return sorted(
        (ep.name, ep.value, ep.dist.name if ep.dist else None, ep.dist.version if ep.dist else None)
        for ep in entry_points(group=group)
    )


def ours(group: str) -> list[tuple[str, str, str | None, str | None]]:
    return sorted(
        (ep.name, ep.value, ep.distribution, ep.version) for ep in find_entry_points(group)
    )


@pytest.mark.parametrize("group", ["whizbang_schema", "console_scripts", "pytest11", "no_such"])
def test_the_same_entry_points_as_importlib_metadata_here(group: str) -> None:
    assert ours(group) == standard(group)


def test_the_built_in_dialects_are_found_with_their_distribution() -> None:
    found = {ep.name: ep for ep in find_entry_points("whizbang_schema")}
    assert {"postgres", "sqlite", "sqlserver"} <= set(found)
    assert found["postgres"].distribution == "whizbang-schema"
    assert found["postgres"].load().__qualname__ == "PostgresDialect"


def _dist(root: Path, folder: str, name: str, version: str, entry_points_txt: str) -> None:
    info = root / folder
    info.mkdir(parents=True)
    meta = "METADATA" if folder.endswith(".dist-info") else "PKG-INFO"
    (info / meta).write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: x\n\nbody: no\n",
        encoding="utf-8",
    )
    (info / "entry_points.txt").write_text(entry_points_txt, encoding="utf-8")


def test_made_up_environments_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _dist(
        first,
        "Alpha_Plugin-1.0.dist-info",
        "alpha.plugin",
        "1.0",
        "# a comment\n[console_scripts]\nalpha = alpha.cli:main\n\n"
        "[whizbang_schema]\nalpha = alpha.plugin\n  spaced  =  alpha.other:obj.attr [extra]\n",
    )
    _dist(first, "beta-2.0.egg-info", "beta", "2.0", "[whizbang_schema]\nbeta=beta_mod\n")
    # The same distribution again, later on the path: the first one wins.
    _dist(
        second, "alpha_plugin-0.9.dist-info", "alpha-plugin", "0.9", "[whizbang_schema]\nold = x\n"
    )
    _dist(second, "gamma-3.dist-info", "gamma", "3", "[other]\ng = g\n")
    (second / "not-a-dist.txt").write_text("", encoding="utf-8")
    monkeypatch.setattr(sys, "path", [str(first), str(tmp_path / "missing"), str(second)])
    assert ours("whizbang_schema") == standard("whizbang_schema")
    assert ours("console_scripts") == standard("console_scripts")
    assert ours("whizbang_schema") == [
        ("alpha", "alpha.plugin", "alpha.plugin", "1.0"),
        ("beta", "beta_mod", "beta", "2.0"),
        ("spaced", "alpha.other:obj.attr [extra]", "alpha.plugin", "1.0"),
    ]


def test_a_zip_archive_on_the_path_is_left_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("zipped-1.0.dist-info/METADATA", "Name: zipped\nVersion: 1.0\n\n")
        zf.writestr("zipped-1.0.dist-info/entry_points.txt", "[whizbang_schema]\nz = zipped\n")
    monkeypatch.setattr(sys, "path", [str(archive)])
    assert (
        ours("whizbang_schema") == standard("whizbang_schema") == [("z", "zipped", "zipped", "1.0")]
    )


def test_load_follows_the_attribute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "wb_ep_target.py").write_text("class Holder:\n    value = 42\n", encoding="utf-8")
    _dist(tmp_path, "t-1.dist-info", "t", "1", "[g]\nx = wb_ep_target:Holder.value\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    (found,) = find_entry_points("g")
    assert found.load() == 42
