"""Query-password hashing."""

from __future__ import annotations

import time

from voicebot.store.passwords import ITERATIONS, check_password, hash_password


def test_hash_verifies_only_the_right_password() -> None:
    stored = hash_password("482913")
    assert "482913" not in stored
    assert check_password("482913", stored)
    assert not check_password("482914", stored)
    assert not check_password("", stored)


def test_each_hash_has_its_own_salt() -> None:
    first, second = hash_password("135790"), hash_password("135790")
    assert first != second
    assert check_password("135790", first) and check_password("135790", second)


def test_unreadable_or_empty_hashes_never_match() -> None:
    for stored in ("", "plain", "md5$1$abc$def", "pbkdf2_sha256$x$!!$??", "pbkdf2_sha256$10$$"):
        assert not check_password("482913", stored)


def test_iterations_are_read_from_the_stored_hash() -> None:
    stored = hash_password("246801", iterations=ITERATIONS * 3)
    assert stored.split("$")[1] == str(ITERATIONS * 3)
    assert check_password("246801", stored)


def test_hashing_is_cheap_enough_for_bulk_imports() -> None:
    start = time.perf_counter()
    for i in range(200):
        hash_password(f"{i:06d}")
    per_hash = (time.perf_counter() - start) / 200
    assert per_hash < 0.005, f"{per_hash * 1000:.2f} ms per hash makes 10,000 cases slow"
