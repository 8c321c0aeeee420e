"""Reading the files municipalities actually have: CSV in any of the encodings Danish
Excel and the statistics agencies write, and XLSX, streamed row by row (reading), and the
sources' own symbols for figures they do not publish (symbols)."""
