"""Writers for other tools' formats: GEXF and GraphML (the actor graph),
a spreadsheet-safe events CSV, and TimelineJS JSON.

Each module has ``export_file(db, out, window=(None, None))`` and is found
by ``store.exporting`` by format name ("events-csv" -> ``events_csv``).
``window`` is (t0, t1) in epoch seconds, either end None for open: only
events overlapping it and relationships alive in it are written. Every
file is written through ``store.atomic_file``, so a failed export leaves
an existing file as it was.
"""
