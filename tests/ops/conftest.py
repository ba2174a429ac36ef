"""Fixtures for the deployment tests: the real redis-server and PostgreSQL cluster of the
batch and register tests, shared here by import."""

from __future__ import annotations

from ..batch.conftest import celery_worker, redis_url
from ..register.conftest import pg_cluster, pg_url

__all__ = ["celery_worker", "pg_cluster", "pg_url", "redis_url"]
