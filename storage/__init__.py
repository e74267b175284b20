"""Persistence and the service layer: the only package that imports SQLAlchemy and Alembic."""
