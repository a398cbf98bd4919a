"""The note that a role's utilisation counts only the processes given.

A role's capacity is its whole team's, so a report on some of the files that
share a ``roles.yaml`` divides their hours alone by it: right for those files,
lower than the folder's figure. The reports that show or check utilisation say
which files beside work in the role too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from .numbers import counted

if TYPE_CHECKING:
    from .i18n import Catalogue

__all__ = ["beside_note", "beside_text", "capacity_check_note", "only_these_hours"]

#: How many files a role's list names before "and N more".
_SHOWN = 5


def only_these_hours(processes: int) -> str:
    """``Only this process's hours count toward the roles' capacity.``"""
    whose = "this process's" if processes == 1 else "these processes'"
    return f"Only {whose} hours count toward the roles' capacity."


def capacity_check_note(beside: Mapping[str, Sequence[str]], processes: int) -> str | None:
    """What ``sopkit validate`` says when it checked capacity without files that work in
    the roles too: a role within capacity here may be over it with them.

    One line with counts, not the files: validating one file while editing it is the
    common case, and the reports (``cost --by role``) name them.
    """
    files = {name for names in beside.values() for name in names}
    roles = [role for role, names in beside.items() if names]
    if not files:
        return None
    whose = "this process's" if processes == 1 else "these processes'"
    others = counted(str(len(files)), "other process file", "other process files")
    return (
        f"note: capacity was checked with {whose} hours only; {others} beside "
        f"{'works' if len(files) == 1 else 'work'} in "
        f"{_joined(roles)} too (validate the whole folder to check them together)"
    )


def beside_text(
    beside: Mapping[str, Sequence[str]],
    roles: Iterable[str] | None = None,
    *,
    whole: str = "a report on the whole folder counts their hours",
) -> str | None:
    """``Other process files that use the same roles file work in these roles too, and a
    report on the whole folder counts their hours: Content Writer in case-study.yaml and
    lead-generation.yaml; …``, for the ``roles`` named (by default every one), or ``None``
    when none of them has such a file."""
    named = list(beside) if roles is None else [r for r in dict.fromkeys(roles) if r in beside]
    said = [f"{role} in {_files(beside[role])}" for role in named if beside[role]]
    if not said:
        return None
    these = "this role" if len(said) == 1 else "these roles"
    return (
        f"Other process files that use the same roles file work in {these} too, and "
        f"{whole}: {'; '.join(said)}."
    )


def _files(files: Sequence[str]) -> str:
    shown = list(files[:_SHOWN])
    if len(files) > _SHOWN:
        shown.append(counted(str(len(files) - _SHOWN), "more file", "more files"))
    return _joined(shown)


def _joined(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def beside_note(
    beside: Mapping[str, Sequence[str]],
    processes: int,
    t: Catalogue,
    roles: Iterable[str] | None = None,
) -> str | None:
    """``beside_text`` in a rendered document's language, with the sentence that only
    the given processes' hours count: for a report, a site or a comparison whose
    utilisation is shown for fewer files than share the roles file."""
    from babel.lists import format_list

    named = list(beside) if roles is None else [r for r in dict.fromkeys(roles) if r in beside]
    said = []
    for role in named:
        files = list(beside[role])
        if not files:
            continue
        if len(files) > _SHOWN:
            shown = t("capacity.beside_more", len(files) - _SHOWN, files=", ".join(files[:_SHOWN]))
        else:
            shown = format_list(files, locale=t.language)
        said.append(t("capacity.beside_role", role=role, files=shown))
    if not said:
        return None
    return t("capacity.beside", processes, roles="; ".join(said))
