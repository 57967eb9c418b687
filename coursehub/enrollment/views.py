"""Views of the enrollment area (being built)."""

from flask import Blueprint

bp = Blueprint("enrollment", __name__)
