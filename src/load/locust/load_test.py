# The design document's Locust file (its section 4.2, "tests/load_test.py"), unchanged but for
# on_start, which it leaves out: self.token and self.request_id are used there and set nowhere.
#
# on_start gives every virtual user the key of the seed's "load_test_user", whose limits an admin
# has raised, and one request id to poll. Either:
#   TTS_API_KEY=tts_...    a key of load_test_user whose limits are already raised, or
#   TTS_ADMIN_KEY=tts_...  an admin key: the first virtual user creates load_test_user if needed,
#                          raises its limits (PUT /admin/users/{id}/limits) and issues a key that
#                          every virtual user then shares.
# TTS_LOAD_REQUESTS_PER_MINUTE (default 1000000) and TTS_LOAD_CHARACTERS_PER_DAY (default
# 1000000000) are the raised limits; the poll budget is not set, so it is the service's default for
# a raised user (tts.ratelimit.poll-multiple times requests_per_minute).
#
#   locust -f src/load/locust/load_test.py --host http://localhost:8000 -u 1000 -r 100 --run-time 10m
import os

import gevent
import gevent.lock
from locust import HttpUser, between, task

_setup_lock = gevent.lock.Semaphore()
_shared = {"token": os.environ.get("TTS_API_KEY")}


def _raised_user_key(client):
    """The shared key of load_test_user, set up once by the first virtual user."""
    with _setup_lock:
        if _shared["token"]:
            return _shared["token"]
        admin = os.environ.get("TTS_ADMIN_KEY")
        if not admin:
            raise RuntimeError("Set TTS_API_KEY (a raised load_test_user key) or TTS_ADMIN_KEY")
        auth = {"Authorization": f"Bearer {admin}"}
        # 409 when it exists already: it is looked up by name below either way.
        with client.post("/admin/users", json={"name": "load_test_user"}, headers=auth,
                         name="setup: create user", catch_response=True) as created:
            if created.status_code in (201, 409):
                created.success()
        limits = {
            "requests_per_minute": int(os.environ.get("TTS_LOAD_REQUESTS_PER_MINUTE", "1000000")),
            "characters_per_day": int(os.environ.get("TTS_LOAD_CHARACTERS_PER_DAY", "1000000000")),
        }
        raised = client.put("/admin/users/load_test_user/limits", json=limits, headers=auth,
                            name="setup: raise limits")
        raised.raise_for_status()
        user_id = raised.json()["user_id"]
        key = client.post(f"/admin/users/{user_id}/keys", headers=auth, name="setup: issue key")
        key.raise_for_status()
        _shared["token"] = key.json()["api_key"]
        return _shared["token"]


class TTSLoadTest(HttpUser):
    wait_time = between(1, 5)

    def on_start(self):
        self.token = _raised_user_key(self.client)
        # One request of its own to poll, as the seed's status task expects. A 503 (the service
        # shedding load) is retried after its Retry-After, as a client should; it still counts as
        # a failure in the statistics.
        for _ in range(10):
            first = self.client.post(
                "/tts/request",
                json={"text": "This is a test text for load testing",
                      "voice_settings": {"language": "en-US", "voice": "en-US-Wavenet-F",
                                         "speed": 1.0, "pitch": 0.0},
                      "user_id": "load_test_user"},
                headers={"Authorization": f"Bearer {self.token}"},
                name="on_start: /tts/request")
            if first.status_code == 200:
                self.request_id = first.json()["request_id"]
                return
            gevent.sleep(min(30, int(first.headers.get("Retry-After", "5"))))
        raise RuntimeError(f"on_start could not submit: {first.status_code}")

    @task(3)
    def test_tts_request(self):
        """Test TTS request endpoint"""
        payload = {
            "text": "This is a test text for load testing",
            "voice_settings": {
                "language": "en-US",
                "voice": "en-US-Wavenet-F",
                "speed": 1.0,
                "pitch": 0.0
            },
            "user_id": "load_test_user"
        }

        with self.client.post(
            "/tts/request",
            json=payload,
            headers={"Authorization": f"Bearer {self.token}"},
            catch_response=True
        ) as response:
            if response.status_code == 200:
                response.success()
            else:
                response.failure(f"Status code: {response.status_code}")

    @task(1)
    def test_status_check(self):
        """Test status check endpoint"""
        self.client.get(
            f"/tts/status/{self.request_id}",
            headers={"Authorization": f"Bearer {self.token}"}
        )
