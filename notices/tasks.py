"""The worker's tasks (django-tasks; `manage.py db_worker` runs them)."""

from django_tasks import task

from notices.services import delivery_send


@task(queue_name="notices")
def deliver(delivery_id: int) -> str:
    return delivery_send(delivery_id)
