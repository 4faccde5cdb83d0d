"""``issue --revoke``, ``--reinstate``, ``--revoke-copy`` and ``--rename``: changes to who
receives what, kept in the register for every later edition. Nothing is deleted."""

from __future__ import annotations

from pathlib import Path

from ..data.edition_id import edition_order
from ..errors import Location, UsageError
from ..register_address import RegisterAddress, register_exists
from .register import CopyRecord, Register, timestamp
from .register_copies import REVOKE_COPY_NOTE


def revoke_recipient(
    register_path: RegisterAddress, recipient_id: str, listed: dict[str, tuple[str, str, str]]
) -> list[CopyRecord]:
    """Revoke the recipient for this and every later edition; their copies not yet
    revoked become revoked. ``listed``: recipients.yaml's (name, organisation, e-mail)."""
    now = timestamp()
    with Register(register_path) as register, register.transaction():
        person = register.person(recipient_id)
        if person is None and recipient_id not in listed:
            raise UsageError(
                f"no recipient '{recipient_id}' in the register or in recipients.yaml",
                field="--revoke",
            )
        if person is not None and person.revoked:
            raise UsageError(
                f"recipient '{recipient_id}' is already revoked (since {person.revoked_at})",
                field="--revoke",
            )
        if person is None:
            register.remember(recipient_id, *listed[recipient_id], now)
        register.set_revoked(recipient_id, True, now, "issue --revoke")
        held = [c for c in register.copies(recipient_id=recipient_id) if c.status != "revoked"]
        for record in held:
            register.set_status(record.copy_id, "revoked", now, "issue --revoke")
    return held


def reinstate_recipient(register_path: RegisterAddress, recipient_id: str) -> None:
    """End a revocation: the next ``issue`` issues the recipient the current edition."""
    now = timestamp()
    with Register(register_path, create=False) as register, register.transaction():
        person = register.person(recipient_id)
        if person is None or not person.revoked:
            raise UsageError(f"recipient '{recipient_id}' is not revoked", field="--reinstate")
        register.set_revoked(recipient_id, False, now, "issue --reinstate")


def revoke_copy(register_path: RegisterAddress, number: int, edition_id: str | None) -> CopyRecord:
    """Revoke one copy (of the newest edition that has that number, unless named)."""
    now = timestamp()
    with Register(register_path, create=False) as register, register.transaction():
        editions = [edition_id] if edition_id else _newest_first(register)
        found = next(
            (c for e in editions if (c := register.by_number(e, number)) is not None), None
        )
        if found is None:
            where = f"edition {edition_id}" if edition_id else "any edition"
            raise UsageError(f"no copy {number} of {where} in the register", field="--revoke-copy")
        if found.status == "revoked":
            raise UsageError(
                f"copy {number} of edition {found.edition_id} is already revoked",
                field="--revoke-copy",
            )
        register.set_status(found.copy_id, "revoked", now, REVOKE_COPY_NOTE)
    return found


def rename_recipient(register_path: RegisterAddress, old: str, new: str) -> int:
    """Carry ``old``'s register history over to ``new``; the number of copies moved."""
    now = timestamp()
    with Register(register_path, create=False) as register, register.transaction():
        if register.person(old) is None and not register.copies(recipient_id=old):
            raise UsageError(f"no recipient '{old}' in the register", field="--rename")
        if register.person(new) is not None or register.copies(recipient_id=new):
            raise UsageError(
                f"'{new}' already has a history in the register; the two cannot be merged",
                field="--rename",
            )
        return register.rename(old, new, now)


def _newest_first(register: Register) -> list[str]:
    ids = {c.edition_id for c in register.copies()}
    return sorted(ids, key=edition_order, reverse=True)


def renamed_warnings(
    register_path: RegisterAddress, listed: list, where: dict[str, Location], data: Path
) -> list[str]:
    """A new id in recipients.yaml with the address of an id that left it: a rename?"""
    if not register_exists(register_path):
        return []
    ids = {r.id for r in listed}
    with Register(register_path) as register:
        people = register.people()
    gone = {p.email.lower(): p for p in people if p.recipient_id not in ids}
    known = {p.recipient_id for p in people}
    warnings = []
    for r in listed:
        old = gone.get((r.email or "").lower()) if r.email else None
        if old is not None and r.id not in known:
            warnings.append(
                f"{where.get(r.id, Location(data / 'recipients.yaml'))}: recipients[].id: "
                f"'{r.id}' has the address of '{old.recipient_id}', who is no longer listed; if "
                f"it is the same person, run kzbrief issue --rename {old.recipient_id} {r.id} "
                "(their copies and history carry over), else this issues them a second copy"
            )
    return warnings
