"""A JSON object read one member at a time, and a list member one element at a time.

Each element is decoded by json's C decoder on its own, so a 40 MB list of rows never becomes one
Python structure. The grammar is JSON's (RFC 8259): no NaN or Infinity, nothing after the object.
"""

import json
import re
from collections.abc import Iterator

_SPACE = re.compile(r"[ \t\n\r]*")


class Broken(Exception):
    """Not complete, valid JSON."""


class NotAnObject(Exception):
    """Valid or not, the document does not start as a JSON object."""


class NotAList(Exception):
    """A member read as rows holds something else."""


class TooDeep(Exception):
    """One value nests deeper than Python's decoder recurses."""


def _no_constant(name: str) -> None:
    raise ValueError("NaN and Infinity are not JSON")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)


class Document:
    """Call `members()`; for each key it yields, read the value with `value()` or `elements()`; then `end()`."""

    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def _take(self, char: str) -> bool:
        self.pos = _SPACE.match(self.text, self.pos).end()
        if self.text.startswith(char, self.pos):
            self.pos += 1
            return True
        return False

    def value(self) -> object:
        """The next value, decoded whole. Raises: Broken, TooDeep."""
        self.pos = _SPACE.match(self.text, self.pos).end()
        try:
            value, self.pos = _DECODER.raw_decode(self.text, self.pos)
        except RecursionError:
            raise TooDeep from None
        except ValueError:  # JSONDecodeError, a constant, an integer of more than 4,300 digits
            raise Broken from None
        return value

    def members(self) -> Iterator[str]:
        """The top-level object's keys, in the file's order. Raises: NotAnObject, Broken."""
        if not self._take("{"):
            raise NotAnObject
        if self._take("}"):
            return
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()
            if not self.text.startswith('"', self.pos):
                raise Broken
            key = self.value()
            if not self._take(":"):
                raise Broken
            yield key
            if self._take("}"):
                return
            if not self._take(","):
                raise Broken

    def elements(self) -> Iterator[object]:
        """The next value, a list, one element at a time. Raises: NotAList, Broken, TooDeep."""
        if not self._take("["):
            raise NotAList
        if self._take("]"):
            return
        while True:
            yield self.value()
            if self._take("]"):
                return
            if not self._take(","):
                raise Broken

    def end(self) -> None:
        """Raises: Broken when anything but white space follows the object."""
        if _SPACE.match(self.text, self.pos).end() != len(self.text):
            raise Broken
