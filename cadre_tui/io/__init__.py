"""File formats: CSV in and out (SPEC §6), roster and staff import, bundles, office logs."""
