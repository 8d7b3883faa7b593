"""A compact "duplicate key → first line" table for files of millions of rows.

A dict of Python ints costs about 90 bytes a key; two flat arrays with open addressing cost
about 24 (a 64-bit hash and a 32-bit line number, half the slots free). Keys are the 64-bit
hashes of the duplicate keys: two different keys sharing a hash is a 1 in 2^64 event per pair.
"""

from array import array


class KeyIndex:
    def __init__(self, capacity: int = 1 << 12):
        self._allocate(capacity)

    def _allocate(self, capacity: int) -> None:
        self._mask = capacity - 1
        self._hashes = array("q", bytes(8 * capacity))  # 0 marks a free slot
        self._lines = array("i", bytes(4 * capacity))  # 32 bits: lines of a file fit
        self._size = 0

    def __len__(self) -> int:
        return self._size

    @staticmethod
    def _hash(key) -> int:
        return hash(key) or 1

    def _slot(self, hashed: int) -> int:
        hashes, mask = self._hashes, self._mask
        index = hashed & mask
        while hashes[index] and hashes[index] != hashed:
            index = (index + 1) & mask
        return index

    def get(self, key) -> int | None:
        """The line recorded for `key`, or None."""
        index = self._slot(self._hash(key))
        return self._lines[index] if self._hashes[index] else None

    def setdefault(self, key, line: int) -> int | None:
        """Record `line` for `key` unless it is known; returns the earlier line, or None."""
        hashed = self._hash(key)
        index = self._slot(hashed)
        if self._hashes[index]:
            return self._lines[index]
        self._hashes[index] = hashed
        self._lines[index] = line
        self._size += 1
        if self._size * 2 > len(self._hashes):
            self._grow()
        return None

    def _grow(self) -> None:
        hashes, lines = self._hashes, self._lines
        self._allocate(len(hashes) * 2)
        for hashed, line in zip(hashes, lines, strict=True):
            if hashed:
                index = self._slot(hashed)
                self._hashes[index] = hashed
                self._lines[index] = line
                self._size += 1
