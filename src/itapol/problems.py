"""Typed problems found in input data. Library code returns or raises these; only the CLI prints."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input: where (file, line, document, field) and what."""

    file: str
    line: int | None
    doc_id: str | None
    field: str | None
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.doc_id:
            parts.append(self.doc_id)
        if self.field:
            parts.append(self.field)
        return ": ".join(parts) + f": {self.message}"

    def as_dict(self) -> dict:
        return asdict(self)


class ProblemError(Exception):
    """Raised where processing cannot go on; carries the problems that stopped it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:3]))


def pointer_to_field(pointer: str) -> str:
    """'/quotes/2/speaker' -> 'quotes[2].speaker' (the form messages use)."""
    out = ""
    for part in pointer.strip("/").split("/") if pointer.strip("/") else []:
        part = part.replace("~1", "/").replace("~0", "~")
        out += f"[{part}]" if part.isdigit() else (("." if out else "") + part)
    return out


def path_to_pointer(path) -> str:
    return "".join(f"/{p}" for p in path)
