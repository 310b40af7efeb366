"""Vendor registry: a new device family is one module here plus its recorded outputs in tests/data."""

from __future__ import annotations

from datetime import datetime, tzinfo

from softwhere.diagnostics.services.alarms import AlarmLog, unrecognised

from . import cisco_ios, rad_etx
from .base import CommandRefused, RebootSpec, VendorProfile

VENDORS: dict[str, VendorProfile] = {p.id: p for p in (rad_etx.PROFILE, cisco_ios.PROFILE)}


class UnknownVendor(LookupError):
    pass


def get_vendor(vendor_id: str) -> VendorProfile:
    try:
        return VENDORS[vendor_id]
    except KeyError:
        raise UnknownVendor(f"Constructeur inconnu : {vendor_id!r} (connus : {', '.join(sorted(VENDORS))}).") from None


def detect_vendor(text: str) -> VendorProfile | None:
    for profile in VENDORS.values():
        if profile.detect(text):
            return profile
    return None


def parse_alarm_log(text: str, vendor_id: str | None, tz: tzinfo, at: datetime) -> AlarmLog:
    """Parse with the given vendor's parser, or the first vendor that recognises the text."""
    profile = get_vendor(vendor_id) if vendor_id else detect_vendor(text)
    if profile is None:
        return unrecognised(text)
    return profile.parse_alarm_log(text, tz, at)


__all__ = [
    "VENDORS",
    "CommandRefused",
    "RebootSpec",
    "UnknownVendor",
    "VendorProfile",
    "detect_vendor",
    "get_vendor",
    "parse_alarm_log",
]
