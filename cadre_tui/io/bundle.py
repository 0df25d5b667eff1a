"""Sync bundles (SPEC §6): a folder or a `.zip` holding `manifest.json` and the nine CSV files, and
the encrypted form of the zip: an age file (`*.cadre`, passphrase recipient, scrypt).

A bundle carries full personal data: it is for the partner's laptop. Export writes every row,
tombstones included. An encrypted bundle's zip is encrypted as it is made (its plain bytes never
touch the disk); import recognises age by its header, decrypts in memory and reads the zip from
those bytes. A plain zip is read in place too: nothing is unpacked to disk. Import checks the
manifest and every file's row count and SHA-256 before it writes anything, then merges everything in
one transaction (`store.merge`).

This module is the public face of the bundle modules, one job each:

    bundle_format.py  what both sides share: names, constants, bundle_kind, the passphrase errors
    bundle_export.py  export: folder, zip, encrypted `.cadre`; CSV members made a chunk at a time
    bundle_source.py  reading a folder or zip in place, within bounds; the manifest and its checks
    bundle_import.py  import: decrypt, check, merge in batches in one transaction
"""

from __future__ import annotations

from cadre_tui.io.bundle_export import (
    ExportResult,
    check_export_target,
    community_fields,
    encrypted_name,
    export_bundle,
)
from cadre_tui.io.bundle_format import (
    AGE_HEADER,
    ENCRYPTED_SUFFIX,
    EXPECTED_MEMBERS,
    FORMAT,
    MANIFEST,
    MAX_ENCRYPTED_BYTES,
    VERSION,
    BundleKind,
    NeedSyncPassphrase,
    Progress,
    WrongSyncPassphrase,
    bundle_kind,
    sha256_of,
)
from cadre_tui.io.bundle_import import (
    IMPORT_CACHE_KIB,
    decrypt_bundle,
    import_bundle,
)
from cadre_tui.io.bundle_source import (
    MAX_MANIFEST_BYTES,
    MAX_MEMBER_BYTES,
    MAX_TOTAL_BYTES,
    FolderSource,
    Manifest,
    Source,
    ZipSource,
    read_manifest,
)

__all__ = [
    "AGE_HEADER",
    "ENCRYPTED_SUFFIX",
    "EXPECTED_MEMBERS",
    "FORMAT",
    "IMPORT_CACHE_KIB",
    "MANIFEST",
    "MAX_ENCRYPTED_BYTES",
    "MAX_MANIFEST_BYTES",
    "MAX_MEMBER_BYTES",
    "MAX_TOTAL_BYTES",
    "VERSION",
    "BundleKind",
    "ExportResult",
    "FolderSource",
    "Manifest",
    "NeedSyncPassphrase",
    "Progress",
    "Source",
    "WrongSyncPassphrase",
    "ZipSource",
    "bundle_kind",
    "check_export_target",
    "community_fields",
    "decrypt_bundle",
    "encrypted_name",
    "export_bundle",
    "import_bundle",
    "read_manifest",
    "sha256_of",
]
