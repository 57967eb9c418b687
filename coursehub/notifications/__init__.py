"""Outbox, mail rendering, the scheduler and its jobs. Used by every area; imports none of them."""
