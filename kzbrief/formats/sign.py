"""Optional digital signatures (pyHanko): an invisible signature on each PDF (ISO 32000's
adbe.pkcs7.detached, pyHanko's default; no timestamp or revocation data, so not PAdES B-T).

pyHanko and cryptography come with the ``[sign]`` extra: without it, ``--sign`` is a usage
error that says what to install, found before anything is typeset.
"""

from __future__ import annotations

import warnings
from io import BytesIO
from pathlib import Path

from .. import PASSWORD_VARIABLE
from ..errors import Location, SigningError, UsageError

MISSING_EXTRA = "signing needs pyHanko, which is not installed: install kzbrief[sign]"


def load_signer(p12: Path, password: bytes | None) -> object:
    """Open a PKCS#12 file (certificate + private key) for signing.

    Every way this can fail (missing, unreadable or garbage file, wrong password,
    no key in it) is one ``SigningError`` line: pyHanko's own loader would log a
    traceback and return None, so the file is read and checked here first.
    """
    # lazy: signing is optional (an extra) and pyHanko/cryptography are slow to import
    try:
        with warnings.catch_warnings():
            # pyHanko imports cryptography's DSA key type, which cryptography deprecates: a
            # warning on every signed build about a key kind kzbrief never uses.
            warnings.filterwarnings("ignore", message="DSA is deprecated")
            from cryptography.hazmat.primitives.serialization import pkcs12
            from pyhanko.sign import signers
    except ImportError:
        raise UsageError(MISSING_EXTRA) from None

    content = _read_certificate(p12)
    try:
        key, certificate, _ = pkcs12.load_key_and_certificates(content, password)
    except ValueError as exc:
        raise _unusable(p12, _parse_failure(exc, password)) from None
    if key is None:
        raise _unusable(p12, "the file holds no private key")
    if certificate is None:
        raise _unusable(p12, "the file holds no certificate")
    try:
        return signers.SimpleSigner.load_pkcs12_data(content, (), passphrase=password)
    except (ValueError, TypeError) as exc:  # e.g. a key type pyHanko cannot sign with
        raise _unusable(p12, str(exc.__cause__ or exc)) from None


def _read_certificate(p12: Path) -> bytes:
    try:
        return p12.read_bytes()
    except FileNotFoundError:
        raise _unusable(p12, "file not found") from None
    except OSError as exc:
        raise _unusable(p12, (exc.strerror or str(exc)).lower()) from None


def _parse_failure(exc: ValueError, password: bytes | None) -> str:
    # cryptography tells a file it cannot parse from one it cannot decrypt.
    if "Invalid password" not in str(exc):
        return "not a PKCS#12 file"
    if password is None:
        return "no password given"
    return "wrong password (or a damaged file)"


def _unusable(p12: Path, reason: str) -> SigningError:
    return SigningError(
        f"cannot use the signing certificate: {reason} (expected a PKCS#12 file and its "
        f"password in ${PASSWORD_VARIABLE})",
        Location(p12),
    )


def sign_pdf(pdf: bytes, signer: object, reason: str) -> bytes:
    """Append a signature to ``pdf`` as an incremental update; the content is unchanged."""
    # lazy: pyHanko, as in load_signer (which has checked that it is installed)
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name="kzbrief-signature", reason=reason)
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()
