"""``kzbrief trace FILE.pdf``: whose copy is this?"""

from __future__ import annotations

import argparse
import hashlib

from ..distribute.register import Register
from ..distribute.stamp import read_copy_ids
from ..errors import Location, NotACopyError
from . import project_paths


def run(args: argparse.Namespace) -> int:
    try:
        content = args.file.read_bytes()
    except OSError as exc:
        raise NotACopyError(f"cannot read the file ({exc.strerror})", Location(args.file)) from None
    ids = read_copy_ids(content, args.file)
    with Register(project_paths(args).register, create=False) as register:
        found = register.by_sha256(hashlib.sha256(content).hexdigest())
        how = "the file is the copy as issued (same SHA-256)"
        for copy_id in ids if found is None else []:
            found = register.by_copy_id(copy_id)
            how = f"copy id {copy_id} found in the file"
            if found is not None:
                break
        history = register.history(found.copy_id) if found else []
    if found is None:
        seen = f" (copy ids in it: {', '.join(ids)}, none in the register)" if ids else ""
        raise NotACopyError(f"not a copy in the register{seen}", Location(args.file))
    print(
        f"copy:         {found.number} of the {found.audience} edition ({found.language}) "
        f"of {found.edition_date}"
    )
    print(f"recipient:    {found.recipient_name} ({found.recipient_id})")
    print(f"organisation: {found.organisation}")
    print(f"issued:       {found.issued_at}")
    print(
        f"status:       {found.status}"
        + "".join(f"\n              {s} at {at}{': ' + n if n else ''}" for s, at, n in history)
    )
    print(f"found by:     {how}")
    return 0
