"""An import stays within bounded memory, zip bombs included (issue 22, item 4).

Each import runs in a fresh process whose address space may grow by only HEADROOM_MB once the
app is ready (RLIMIT_AS, see tests/benchmark/import_bench.py): an import that holds the unpacked
files, or all rows at once, dies with MemoryError there. The benchmark script measures the peak
resident memory and time; this test only proves the bound, and times nothing.
"""

import pytest

from tests.benchmark.import_bench import bomb_zip, diary_zip, import_in_child

pytestmark = pytest.mark.no_test_database(reason="each import runs in a child on its own SQLite file")

HEADROOM_MB = 100  # the importing worker's budget is 150 MB resident; it starts at about 95


def test_the_largest_allowed_import_fits_in_bounded_memory():
    from diary.sharing.importing import MAX_ROWS
    assert import_in_child(diary_zip(MAX_ROWS), HEADROOM_MB)["status"] == 302


def test_a_zip_bomb_is_refused_in_bounded_memory():
    assert import_in_child(bomb_zip(49), HEADROOM_MB)["status"] == 422
