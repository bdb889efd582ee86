"""signet.io.files: regular files only, bounded reads, atomic writes with the user's umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from signet.errors import InputError, SignetError
from signet.io.bnet import parse_bnet, write_bnet
from signet.io.files import (
    atomic_write_text,
    check_outputs,
    read_input_bytes,
    same_file,
)


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_written_files_get_the_umask_not_0600(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        write_bnet(parse_bnet("A, !A\n"), tmp_path / "m.bnet")
        atomic_write_text(tmp_path / "t.txt", "x")
        reference = tmp_path / "plain.txt"
        with open(reference, "w") as handle:  # what open() gives under this umask: the oracle
            handle.write("x")
    finally:
        os.umask(old)
    expected = stat.S_IMODE(reference.stat().st_mode)
    assert expected == 0o666 & ~umask
    assert stat.S_IMODE((tmp_path / "m.bnet").stat().st_mode) == expected
    assert stat.S_IMODE((tmp_path / "t.txt").stat().st_mode) == expected


def test_replacing_a_file_leaves_no_temporary_behind(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    atomic_write_text(target, "one")
    atomic_write_text(target, "two")
    assert target.read_text() == "two" and [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_read_limits_and_special_files(tmp_path: Path) -> None:
    path = tmp_path / "m.bnet"
    path.write_bytes(b"x" * 100)
    assert read_input_bytes(path, limit=100) == b"x" * 100
    with pytest.raises(InputError, match="the limit is 99"):
        read_input_bytes(path, limit=99)
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(InputError, match="named pipe"):
        read_input_bytes(tmp_path / "pipe")
    with pytest.raises(InputError, match="character device"):
        read_input_bytes("/dev/zero")
    with pytest.raises(InputError, match="folder"):
        read_input_bytes(tmp_path)


def test_same_file_sees_links_and_spellings(tmp_path: Path) -> None:
    model = tmp_path / "m.bnet"
    model.write_text("A, A\n")
    os.link(model, tmp_path / "hard.bnet")
    (tmp_path / "soft.bnet").symlink_to(model)
    assert same_file(model, tmp_path / "hard.bnet") and same_file(model, tmp_path / "soft.bnet")
    assert same_file(model, tmp_path / "sub" / ".." / "m.bnet")
    assert not same_file(model, tmp_path / "new.bnet")
    with pytest.raises(SignetError, match="the output is the input file"):
        check_outputs([model], [tmp_path / "hard.bnet"])
    with pytest.raises(SignetError, match="two outputs"):
        check_outputs([], [tmp_path / "a", tmp_path / "." / "a"])
    check_outputs([model], [tmp_path / "other.bnet", None])
