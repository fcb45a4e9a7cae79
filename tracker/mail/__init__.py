"""E-mail: the settings, the letter's addresses and tokens, and talking to the mail server.

Nothing here touches the database or Flask: operations and jobs decide what to send and
record what happened; this package only knows how mail works.
"""
