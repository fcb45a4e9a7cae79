"""Turning data into files and text: safe CSV, plain text, iCalendar, Markdown as HTML."""
