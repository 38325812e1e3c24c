"""Fixture inventory (being written)."""

from __future__ import annotations
