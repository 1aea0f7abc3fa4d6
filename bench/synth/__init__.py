"""Deterministic synthetic Threadline databases, for benchmarks and tests.

From the command line (in the project folder)::

    python -m bench.synth --events N --actors M --out FILE.db [--seed S]

``write_synthetic(out, events=N, actors=M, seed=S)`` writes a new file whose
rows depend only on (N, M, S): the same arguments give the same rows with
the same ids (every random draw comes from ``numpy.random.default_rng(seed)``
in a fixed order).  Only the ``_sqlite_migrations`` bookkeeping row differs,
because sqlite-utils records when the schema was made.

The data are meant to look like a real story at scale, not like noise:

* dates from 1990 to 2025, a slow background rate that grows over time plus
  many short bursts (a story breaking) of very different sizes;
* a few very active actors and a long tail (Zipf weights), of all kinds, with
  readable unique names built from small word lists;
* about 70% of events between an initiator and a target (half of them
  between actors that have a relationship), 20% by one actor and 10% with
  3-5 participants;
* dates written as researchers write them: mostly days, some minutes,
  months, years, year ranges ("2016/2017") and approximate years
  ("c. 2016"); about 5% with an end date.  The derived columns are computed
  here with numpy and agree with :func:`store.records.event_bounds`;
* one source per ~1000 events (time-local, so a source covers the events of
  its period), every event cites at least one;
* about two relationships per actor (at most 20,000), some open-ended, each
  linked to a few of the events between its actors.

The package is split by concern: vocabulary.py (word lists, shares and
sizes), sampling.py (weighted numpy draws), dates.py (event times and how
dates are written), actors.py (actors and relationships), events.py (event
rows, chunk by chunk) and writer.py (the order of the draws and the SQL).
"""

from .writer import write_synthetic

__all__ = ["write_synthetic"]
