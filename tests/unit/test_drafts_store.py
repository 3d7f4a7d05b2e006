"""The drafts store on real folders: a draft is written as a new private jsonl file, listed
while it waits, and removed only from ally's own drafts folders once imported."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from allycli.store import drafts

ENTRY = {"id": "3f2a9c1e-0000-4000-8000-000000000000", "kind": "practice", "note": "x"}
RHYTHM = {"kind": "rhythm", "category": "listening", "rhythm": "3/week"}


def test_a_draft_is_a_new_private_jsonl_file_that_waits(tmp_path: Path) -> None:
    place = tmp_path / "drafts"
    first = drafts.keep([ENTRY], [place])
    second = drafts.keep([ENTRY], [place])
    assert first is not None and second is not None and first != second
    assert [json.loads(line) for line in first.read_text().splitlines()] == [ENTRY]
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert drafts.waiting([place]) == sorted([first, second])


def test_a_draft_of_an_object_without_an_id_waits_and_is_settled(tmp_path: Path) -> None:
    place = tmp_path / "drafts"
    kept = drafts.keep([RHYTHM], [place])
    assert kept is not None
    assert drafts.waiting([place]) == [kept]
    assert drafts.settle(kept, [place]) and not kept.exists()


def test_a_draft_name_holds_only_what_an_id_may(tmp_path: Path) -> None:
    place = tmp_path / "drafts"
    kept = drafts.keep([{**ENTRY, "id": "../../escape"}], [place])
    assert kept is not None and kept.parent == place
    assert drafts.waiting([place]) == [kept]


def test_the_first_place_that_works_is_used(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    kept = drafts.keep([ENTRY], [blocked / "drafts", shared, tmp_path / "state"])
    assert kept is not None and kept.parent == tmp_path / "state"
