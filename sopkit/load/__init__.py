"""From files to validated models: process files, ``roles.yaml`` and portfolios.

Loading reports every problem of every file it reads before giving up, so a
user fixes a folder in one pass instead of one error per run. The modules, in
the order a load goes through them:

- ``paths``: which files are read (process files under folders, and the
  ``roles.yaml`` each one uses);
- ``portfolio``: reading and validating each file into models, and the
  portfolio they make;
- ``problems`` and ``hints``: pydantic's errors in the user's words, located
  at the value they are about;
- ``calls``: processes that run other processes, bound to their callers;
- ``callers``: a process file given alone, with the processes that run it;
- ``sharing``: the roles a report's processes share with files it was not given.
"""

from __future__ import annotations

from .callers import callers_of, with_callers, with_procedures
from .calls import process_ids_in
from .paths import ROLES_FILENAMES, as_paths, discover, find_roles_file
from .portfolio import (
    Portfolio,
    load_portfolio,
    load_process,
    load_settings,
    process_from_data,
    settings_from_data,
)
from .sharing import Beside, files_beside, roles_worked_beside

__all__ = [
    "ROLES_FILENAMES",
    "Beside",
    "Portfolio",
    "as_paths",
    "callers_of",
    "discover",
    "files_beside",
    "find_roles_file",
    "load_portfolio",
    "load_process",
    "load_settings",
    "process_from_data",
    "process_ids_in",
    "roles_worked_beside",
    "settings_from_data",
    "with_callers",
    "with_procedures",
]
