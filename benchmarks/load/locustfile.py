"""Locust users of the load benchmark (started by run.py, which signs the personas in).

run.py passes, in the file named by BENCH_WORKLOAD, the pages of each persona
(benchmarks/load/pages.py) and the session cookies it obtained by signing in; each
simulated user takes the sessions of its role in turn and opens pages at random, by
weight, without pause (a closed loop: as many requests in flight as users). The user
class `Healthz` requests /healthz only: the machine's reference figure.

Requests go over plain HTTP to gunicorn with `X-Forwarded-Proto: https`, as from the
TLS proxy of a deployment (BEHIND_HTTPS_PROXY); redirects are not followed, so a write
answering 302 is one request.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any, ClassVar

from locust import task
from locust.contrib.fasthttp import FastHttpUser

_WORKLOAD: dict[str, Any] = (
    json.loads(Path(os.environ["BENCH_WORKLOAD"]).read_text())
    if os.environ.get("BENCH_WORKLOAD")
    else {"personas": []}
)
_ORIGIN = "https://" + os.environ.get("BENCH_HOST", "127.0.0.1")
_rotations: dict[str, itertools.cycle[dict[str, Any]]] = {}


def _next_persona(role: str) -> dict[str, Any]:
    if role not in _rotations:
        mine = [p for p in _WORKLOAD["personas"] if p["role"] == role]
        _rotations[role] = itertools.cycle(mine)
    return next(_rotations[role])


class _Persona(FastHttpUser):
    abstract = True
    role: ClassVar[str] = ""

    def on_start(self) -> None:
        persona = _next_persona(self.role)
        self.pages = persona["pages"]
        self.weights = [p["weight"] for p in self.pages]
        cookies = persona["cookies"]
        self.headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Accept-Language": "fr",
        }
        self.post_headers = self.headers | {
            "X-CSRFToken": cookies.get("csrftoken", ""),
            "Origin": _ORIGIN,
            "Referer": _ORIGIN + "/",
        }

    @task
    def open_page(self) -> None:
        page = random.choices(self.pages, self.weights)[0]
        post = page["method"] == "POST"
        with self.client.request(
            page["method"],
            page["path"],
            name=page["name"],
            headers=self.post_headers if post else self.headers,
            data=page["data"] if post else None,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            expected = 302 if post else 200
            if response.status_code != expected:
                where = response.headers.get("Location", "")
                response.failure(f"{response.status_code} {where}")


class Coordinator(_Persona):
    weight = 2
    role = "coordinator"


class Mentor(_Persona):
    weight = 3
    role = "mentor"


class Mentee(_Persona):
    weight = 3
    role = "mentee"


class Healthz(FastHttpUser):
    """The reference workload: one cheap query per request."""

    weight = 1

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz", headers={"X-Forwarded-Proto": "https"})
