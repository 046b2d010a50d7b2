"""The contact-log page (placeholder until ``checker.contacts`` lands)."""
from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("log", __name__, url_prefix="/log")


def company_names() -> list[str]:
    return []


@bp.get("/")
def index():
    return render_template("log.html")
