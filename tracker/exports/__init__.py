"""CSV exports that open cleanly in Excel and cannot smuggle formulas into a spreadsheet."""
