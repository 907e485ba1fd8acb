"""HTTP client for the ScribeDesk service (requests; no Qt), with readable errors.

Every call has a timeout. Whatever goes wrong (no network, a refused connection, a
timeout, an answer that is not the JSON the API promises) becomes an ApiError (a
domain Failure) with a sentence for the user and its kind: whether retrying later can
help, a sign-in is needed, or the job moved on. Blocking: call it off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scribedesk.client.payloads import (
    parse_directory,
    parse_history,
    parse_job,
    parse_jobs,
    parse_pool,
    parse_receipt,
    parse_templates,
)
from scribedesk.domain.failure import Failure, FailureKind
from scribedesk.domain.job import Directory, Job, PoolCounts, Receipt, Submitted

if TYPE_CHECKING:  # requests is imported at the first request: 90 ms of a start otherwise
    import requests

    from scribedesk.domain.templates import Template

DEFAULT_TIMEOUT = (5.0, 30.0)  # connect, read (seconds)


class ApiError(Failure):
    """A request that did not succeed (a Failure: message, kind, status, code)."""


#: Job operations answered with these codes mean the job moved on (dispatch.explain).
LEASE_CODES = frozenset(
    {
        "lease_replaced",
        "assigned_elsewhere",
        "requeued",
        "idle_released",
        "cancelled",
        "returned",
        "submitted",
        "unknown_lease",
    }
)


@dataclass
class ApiClient:
    """One signed-in conversation with the service."""

    base_url: str
    token: str | None = None
    timeout: tuple[float, float] = DEFAULT_TIMEOUT
    session: requests.Session | None = None

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")

    @property
    def _http(self) -> requests.Session:
        if self.session is None:
            import requests

            self.session = requests.Session()
        return self.session

    # -- plumbing -------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self.base_url}/api/v1{path}"

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
        ok: tuple[int, ...] = (200, 201, 204, 206),
        files: Mapping[str, Any] | None = None,
        data: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Send one request (``files`` and ``data``: a multipart form); ApiError unless the
        status is in ``ok``."""
        import requests

        try:
            answer = self._http.request(
                method,
                self._url(path),
                json=json,
                headers=self._headers(headers),
                timeout=self.timeout,
                stream=stream,
                files=files,
                data=data,
            )
        except requests.Timeout:
            raise ApiError("The service did not answer in time.", FailureKind.NETWORK) from None
        except requests.ConnectionError:
            raise ApiError(
                f"Cannot reach the service at {self.base_url}.", FailureKind.NETWORK
            ) from None
        except requests.RequestException as exc:
            raise ApiError(f"The request failed: {exc}", FailureKind.NETWORK) from None
        if answer.status_code not in ok:
            raise _error_from(answer)
        return answer

    def _json(self, method: str, path: str, **kw: Any) -> Any:
        answer = self.request(method, path, **kw)
        if answer.status_code == 204:
            return None
        try:
            return answer.json()
        except ValueError:
            raise ApiError(
                "The service sent an answer that is not valid JSON.",
                FailureKind.SERVER,
                status=answer.status_code,
            ) from None

    def call(self, method: str, path: str, **kw: Any) -> Any:
        """Any JSON call (None for 204); ApiError with the service's sentence otherwise."""
        return self._json(method, path, **kw)

    # -- the API ------------------------------------------------------------------------------

    def login(self, username: str, password: str) -> dict[str, Any]:
        """Sign in; keeps the token. Returns the answer (token, expiry, user)."""
        data = expect_dict(
            self._json("POST", "/auth/login", json={"username": username, "password": password})
        )
        self.token = str(data.get("token", "")) or None
        if not self.token:
            raise ApiError("The service answered the sign-in without a token.")
        return data

    def health(self, timeout: float = 2.0) -> bool:
        """True when the service answers its health check within ``timeout`` seconds."""
        import requests

        try:
            answer = self._http.get(self._url("/health"), timeout=(timeout, timeout))
        except requests.RequestException:
            return False
        return answer.status_code == 200

    def me(self) -> dict[str, Any]:
        return expect_dict(self._json("GET", "/auth/me"))

    def templates(self, warn: Callable[[str], None] = lambda _m: None) -> dict[str, Template]:
        """The service's templates by id; one that does not validate goes to ``warn``."""
        return parse_templates(self._json("GET", "/templates"), warn)

    def directory(self) -> Directory:
        """Names the CRM knows."""
        return parse_directory(self._json("GET", "/directory"))

    def my_jobs(self) -> list[Job]:
        """The worklist: jobs assigned to the signed-in transcriptionist."""
        return parse_jobs(self._json("GET", "/jobs"))

    def history(self, days: int = 7) -> list[Submitted]:
        """The jobs I submitted in the last ``days``, newest first."""
        return parse_history(self._json("GET", f"/jobs/history?days={days}"))

    def my_dictations(self) -> list[Job]:
        """An author's own dictations, most urgent first (any status)."""
        return parse_jobs(self._json("GET", "/dictations?limit=500"))

    def upload(self, audio: Path, form: Mapping[str, str]) -> Job:
        """Upload a recording with its account, template, priority and title."""
        with audio.open("rb") as stream:
            answer = self.request(
                "POST", "/dictations", files={"file": (audio.name, stream)}, data=dict(form)
            )
        try:
            return parse_job(answer.json())
        except ValueError:
            raise ApiError(
                "The service answered the upload with garbage.", FailureKind.SERVER
            ) from None

    def deliveries(self, job_id: int) -> list[dict[str, Any]]:
        """Where a dictation was delivered: state, attempts, the receiver's answer."""
        return expect_list(self._json("GET", f"/dictations/{job_id}/deliveries"))

    def document(self, job_id: int) -> bytes:
        """The transcript as a Word document (.docx bytes)."""
        return self.request("GET", f"/dictations/{job_id}/document.docx").content

    def versions(self, job_id: int) -> list[dict[str, Any]]:
        """Every saved and submitted version of a job (for a read-only copy)."""
        return expect_list(self._json("GET", f"/dictations/{job_id}/versions"))

    def waiting(self) -> PoolCounts:
        """Jobs waiting in the pool by priority."""
        return parse_pool(self._json("GET", "/jobs/waiting"))

    def next_job(self) -> Job | None:
        """Claim the next job; None when nothing waits."""
        data = self._json("POST", "/jobs/next")
        return None if data is None else parse_job(data)

    def take_lease(self, job_id: int) -> Job:
        """A fresh lease on a job assigned to me (opening it on this workstation)."""
        return parse_job(self._json("POST", f"/jobs/{job_id}/lease"))

    def heartbeat(self, job_id: int, lease_token: str) -> Job:
        return parse_job(
            self._json("POST", f"/jobs/{job_id}/heartbeat", json={"lease_token": lease_token})
        )

    def start(self, job_id: int, lease_token: str) -> Job:
        return parse_job(
            self._json("POST", f"/jobs/{job_id}/start", json={"lease_token": lease_token})
        )

    def submit(self, job_id: int, body: Mapping[str, Any], idempotency_key: str) -> Receipt:
        """Submit once; a retry with the same key returns the first answer."""
        return parse_receipt(
            self._json(
                "POST",
                f"/jobs/{job_id}/submit",
                json=dict(body),
                headers={"Idempotency-Key": idempotency_key},
            )
        )

    def return_job(self, job_id: int, lease_token: str, reason: str, note: str) -> Job:
        return parse_job(
            self._json(
                "POST",
                f"/jobs/{job_id}/return",
                json={"lease_token": lease_token, "reason": reason, "note": note},
            )
        )

    def peaks(self, job_id: int) -> bytes:
        return self.request("GET", f"/dictations/{job_id}/peaks").content

    def audio_chunks(
        self, job_id: int, start: int = 0, chunk: int = 1 << 16
    ) -> tuple[requests.Response, Iterator[bytes]]:
        """Stream the working copy from byte ``start`` (Range), for resumable downloads."""
        headers = {"Range": f"bytes={start}-"} if start else {}
        answer = self.request("GET", f"/dictations/{job_id}/audio", headers=headers, stream=True)
        return answer, answer.iter_content(chunk)


def _error_from(answer: requests.Response) -> ApiError:
    detail, code = "", ""
    try:
        body = answer.json()
        if isinstance(body, dict):
            detail, code = str(body.get("detail", "")), str(body.get("code", ""))
    except ValueError:
        pass
    status = answer.status_code
    if not detail:
        detail = f"The service answered {status} {answer.reason or ''}".strip() + "."
    return ApiError(detail, kind_of(status, code), status=status, code=code)


def kind_of(status: int, code: str) -> FailureKind:
    """The kind of failure an HTTP answer means."""
    if status >= 500 or status == 408:
        return FailureKind.SERVER
    if status == 429:
        return FailureKind.THROTTLED
    if status == 401:
        return FailureKind.SIGN_IN
    if code == "submission_conflict":
        return FailureKind.CONFLICT
    if status == 409 and code in LEASE_CODES:
        return FailureKind.LEASE_LOST
    return FailureKind.REFUSED


def expect_dict(data: Any) -> dict[str, Any]:
    """``data`` if it is a JSON object, else an ApiError (the answer is garbage)."""
    if not isinstance(data, dict):
        raise ApiError("The service sent an answer of an unexpected shape.", FailureKind.SERVER)
    return data


def expect_list(data: Any) -> list[dict[str, Any]]:
    """``data`` if it is a list of JSON objects, else an ApiError."""
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ApiError("The service sent an answer of an unexpected shape.", FailureKind.SERVER)
    return data
