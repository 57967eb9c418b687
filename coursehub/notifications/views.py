"""Staff page of the outbox (being built)."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)
