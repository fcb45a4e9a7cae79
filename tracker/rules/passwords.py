"""Password hashing with pinned argon2id parameters, and the password policy."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_LENGTH = 12
MAX_LENGTH = 128

# Pinned, not library defaults, so an upgrade can never silently weaken stored hashes
# (argon2-cffi 25 defaults, above OWASP/ASVS Appendix C minimums).
PRODUCTION_HASHER = PasswordHasher(
    time_cost=3, memory_cost=65536, parallelism=4, hash_len=32, salt_len=16
)
# Tests only: the same algorithm at its cheapest, so a 2-core run does not spend its time hashing.
FAST_TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, hash_len=16)

HASHERS = {"argon2id": PRODUCTION_HASHER, "fast-insecure-for-tests": FAST_TEST_HASHER}


def _hasher() -> PasswordHasher:
    return HASHERS[current_app.config["PASSWORD_HASHER"]]


@cache
def _common_passwords() -> frozenset[str]:
    # The 30,000 most common passwords from real breaches, shipped inside zxcvbn: offline.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str) -> str | None:
    """Say what is wrong with a new password, or None when it is acceptable (no composition
    rules: length, and not a password attackers try first)."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if password.casefold() in _common_passwords() or len(set(password)) < 3:
        return "That password is one of the most common ones; choose another."
    return None


def hash_password(password: str) -> str:
    """Hash ``password`` with the configured hasher."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True if ``password`` matches ``password_hash``; never raises on a malformed hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True if the hash was made with other parameters than the configured ones."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@cache
def _dummy_hash(hasher_name: str) -> str:
    return HASHERS[hasher_name].hash("not-a-real-password-just-equal-work")


def burn_equal_time(password: str) -> None:
    """Do the work of one verification, so an unknown email takes as long as a wrong password."""
    verify_password(_dummy_hash(current_app.config["PASSWORD_HASHER"]), password)
