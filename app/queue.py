"""enqueue(job, *ids): RQ on Redis when REDIS_URL is set, an inline call otherwise.

Jobs take primitive ids only (never personal data) and their argument list is a wire
format: jobs already queued outlive a deploy, so append keyword arguments only.
"""

from collections.abc import Callable

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry

DEFAULT_TIMEOUT = 15 * 60
# A Redis that vanished must answer « unavailable » quickly, not hold the request.
CONNECT_TIMEOUT_SECONDS = 2
# Failed jobs hold ids only, but there is no reason to keep them long (issue: trust).
FAILED_TTL = 7 * 24 * 3600


class QueueUnavailable(Exception):
    """Redis did not take the job: its status row, already committed, stays queued.

    The reconciler (``clausier jobs reconcile``, every 10 minutes in the worker) queues it
    again once Redis answers, so the caller tells the user it will run later.
    """


class JobQueue:
    """Where jobs go: a Redis queue or, in the embedded mode, straight into the call."""

    def __init__(self) -> None:
        self.redis_url: str | None = None
        self._connection: Redis | None = None

    def configure(self, redis_url: str | None, connection: Redis | None = None) -> None:
        """Use Redis at ``redis_url`` (or the given connection); None means inline jobs."""
        self.redis_url = redis_url
        self._connection = connection

    @property
    def is_async(self) -> bool:
        """Tell whether jobs run in RQ workers."""
        return bool(self.redis_url or self._connection)

    def connection(self) -> Redis:
        """Return the Redis connection, opened lazily."""
        if self._connection is None:
            self._connection = Redis.from_url(self.redis_url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS)
        return self._connection

    def rq_queue(self, name: str = "default") -> Queue:
        """Return the RQ queue called ``name``."""
        return Queue(name, connection=self.connection(), default_timeout=DEFAULT_TIMEOUT)

    def enqueue(self, job: Callable, *ids: int, queue: str = "default") -> str | None:
        """Run ``job(*ids)`` in a worker, or now when no Redis is configured.

        The caller commits the job's status row before calling: a worker may pick the
        job up before this function returns. Raise QueueUnavailable when Redis is down.
        """
        for value in ids:
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError("Les tâches de fond ne reçoivent que des identifiants entiers.")
        if not self.is_async:
            job(*ids)
            return None
        try:
            rq_job = self.rq_queue(queue).enqueue(
                f"{job.__module__}.{job.__qualname__}",
                *ids,
                retry=Retry(max=3, interval=[10, 60, 300]),
                failure_ttl=FAILED_TTL,
            )
        except RedisError as exc:
            raise QueueUnavailable(f"{job.__qualname__}: {type(exc).__name__}") from exc
        return rq_job.id


job_queue = JobQueue()


def enqueue(job: Callable, *ids: int, queue: str = "default") -> str | None:
    """Queue ``job(*ids)`` on the app's job queue."""
    return job_queue.enqueue(job, *ids, queue=queue)
