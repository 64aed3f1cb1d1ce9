"""Background jobs of the documents app (django-tasks, backend ``queue``)."""

from __future__ import annotations

from django_tasks import task

from dmk.documents.services import file_text_store, load_file


@task(queue_name="default", backend="queue")
def extract_file_text_task(label: str, pk: int) -> str:
    """Read the text of file row ``label`` (``app_label.Model``) ``pk`` and re-index its
    owner (issue 13 item 1). Returns the extraction status, or ``"gone"`` when the file was
    deleted meanwhile. A bad file is a status, never an exception: the job is not retried."""
    file = load_file(label, pk)
    if file is None:
        return "gone"
    return file_text_store(file=file).status
