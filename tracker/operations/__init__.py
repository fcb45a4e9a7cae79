"""Every write Hilltrack makes, as plain functions shared by views, the CLI, jobs and tests.

Operations flush but never commit: the caller owns the unit of work.
"""
