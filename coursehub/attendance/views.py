"""Views of the attendance area (being built)."""

from flask import Blueprint

bp = Blueprint("attendance", __name__)
