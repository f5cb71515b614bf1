"""The replica core: clock, change log, merge and the removal of households from a replica.

Everything that writes the replicated tables (`changes`, `field_state`,
`conflicts` and the current domain rows) lives here and nowhere else:
`clock` issues hybrid-logical-clock stamps, `changelog` appends local changes
and makes them current (used by `app.repository.Repository.save`), `merge`
applies changes from other replicas (used by the sync client, the hub and
the offline file import), `roots` removes households that left a replica's
scope. `sync/` holds protocol, transport, client and hub, and writes no SQL
against these tables.
"""
