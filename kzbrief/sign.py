"""Optional digital signatures (pyHanko): an invisible PAdES signature on each PDF."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from . import PASSWORD_VARIABLE
from .errors import KzbriefError, Location


class SigningError(KzbriefError):
    """The certificate cannot be used to sign."""

    exit_code = 8


def load_signer(p12: Path, password: bytes | None) -> object:
    """Open a PKCS#12 file (certificate + private key) for signing."""
    from pyhanko.sign import signers

    if not p12.is_file():
        raise SigningError("certificate file not found (expected a .p12/.pfx file)", Location(p12))
    signer = signers.SimpleSigner.load_pkcs12(pfx_file=str(p12), passphrase=password)
    if signer is None:  # pyHanko returns None for a wrong password or a broken file
        raise SigningError(
            f"cannot open the certificate: wrong password (${PASSWORD_VARIABLE}) or not a "
            "PKCS#12 file",
            Location(p12),
        )
    return signer


def sign_pdf(pdf: bytes, signer: object, reason: str) -> bytes:
    """Append a signature to ``pdf`` as an incremental update; the content is unchanged."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name="kzbrief-signature", reason=reason)
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()
