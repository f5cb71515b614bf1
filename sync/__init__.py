"""Clocks, change merge, wire protocol, sync client and hub server. Uses app/."""
