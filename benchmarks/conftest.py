"""Let ``--benchmark-only`` win over the project's ``addopts = --benchmark-disable``."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Set pytest-benchmark's own override flag when benchmarks are explicitly requested."""
    if config.getoption("benchmark_only", False) and config.getoption("benchmark_disable", False):
        config.option.benchmark_enable = True
