"""Readers for other tools' data: GDELT, any CSV through a column mapping,
TimelineJS JSON and WikiTimes JSON.

Each module has ``import_file(db, path) -> ImportReport`` (the mapped CSV
reader takes the mapping too) and is found by ``store.importing`` by
format name. They share: ``log`` (skipped rows and warnings for the
report), ``text_input`` (reading text safely: encodings, NUL bytes,
bounded line length), ``values`` (cell values, identities, titles),
``writer`` (batched event inserts and the full-text index) and ``books``
(finding or creating actors and sources without duplicates).
"""
