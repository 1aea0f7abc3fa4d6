"""The numpy half of the views, with no Qt: what the timeline, the graph and
the figures share, computed one way for the screen and for every export.

visible (events and pairs in a time window, found without a pass over the
file), density and density_frame (lane indexes and density images),
lane_plan (which lanes show), day_spread (events sharing a day), date_ticks
(calendar ticks and labels), window_network (who shares events in a window).
"""
