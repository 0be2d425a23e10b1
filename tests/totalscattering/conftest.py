"""Shared-data helper lives in ts_shared.py (unique module name across test folders)."""

from ts_shared import SHARED_DATA as SHARED_DATA
