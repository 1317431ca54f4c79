"""Layouts read beyond the ordinary table with a name column and hour columns.

Arrival and departure times (clock), presence marks (marks), pay-item exports (payitems),
tables named from a heading or their sheet (blocks) and transposed grids (transposed).
"""
