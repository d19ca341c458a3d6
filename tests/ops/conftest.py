from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ops.cluster import Cluster, cluster, skip_unless_services


@pytest.fixture(scope="package")
def services(
    django_db_setup: None, django_db_blocker: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    """Two web processes and one worker on the suite's PostgreSQL database and the machine's Redis."""
    skip_unless_services()
    with cluster(Path(tmp_path_factory.mktemp("cluster"))) as running:
        running.start_web()
        running.start_web()
        running.start_worker()
        yield running
