"""JSON-LD with pinned contexts only: RDFC-1.0 canonicalisation through PyLD.

The document loader serves the context files shipped in ``contexts/`` (see its README for
their sources and hashes) and refuses every other URL, so canonicalisation never touches the
network and a remote context cannot change what a signature covers.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pyld import jsonld

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"  # named by DID documents; not needed to sign
PINNED = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    MULTIKEY_V1: "multikey-v1.jsonld",
}


class ContextNotPinned(jsonld.JsonLdError):
    pass


@cache
def _document(url: str) -> dict:
    return json.loads((CONTEXTS_DIR / PINNED[url]).read_text(encoding="utf-8"))


def document_loader(url: str, options=None) -> dict:
    if url not in PINNED:
        raise ContextNotPinned(
            f"context {url} is not pinned in the package",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        )
    return {"contextUrl": None, "documentUrl": url, "document": _document(url)}


def canonicalize(document: dict) -> str:
    """The RDFC-1.0 (URDNA2015) canonical N-Quads of `document`."""
    return jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": document_loader,
        },
    )


def expand(document: dict) -> list:
    return jsonld.expand(document, {"documentLoader": document_loader})
