"""Every read: select() builders shared by pages, exports, reports and commands. No writes here."""
