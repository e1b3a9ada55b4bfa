"""Helpers for the files built in the background (``cte_portal.core.file_jobs``): request the
file, check the request did not build it, run the queued task, download the result."""

from django.urls import reverse

from cte_portal.core.models import FileJob


def request_file(client, url, capture, data=None) -> FileJob:
    """POST ``url``: the response redirects at once to the job's page while the job is still
    pending without a file (the task waits for the commit); then run the task."""
    with capture(execute=False) as callbacks:
        response = client.post(url, data or {})
    assert response.status_code == 302, response.status_code
    job = FileJob.objects.latest("pk")
    assert response["Location"] == reverse("file_job", args=[job.pk])
    assert (job.status, job.file.name) == (FileJob.Status.PENDING, "")
    assert callbacks, "the build is queued for after the commit"
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    return job


def read(response) -> bytes:
    """The body of a (streamed) response, read to its end so that its file is closed."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def download(client, job) -> bytes:
    response = client.get(reverse("file_job_download", args=[job.pk]))
    assert response.status_code == 200, response.status_code
    assert "attachment" in response["Content-Disposition"]
    return read(response)


def status_code(client, url) -> int:
    response = client.get(url)
    read(response)
    return response.status_code
