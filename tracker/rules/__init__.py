"""Domain rules that are neither reads nor writes: forms of address, status, password policy."""
