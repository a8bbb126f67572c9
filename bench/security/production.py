"""What production must refuse to run with: each unsafe setting is tried on its own, everything
else valid, and the server (or command) must fail instead of serving."""

from __future__ import annotations

from bench.security.findings import Finding
from bench.security.server import Gunicorn, Stack, free_port

UNSAFE = {
    "SECRET_KEY=dev-only-not-secret (the development value)": {"SECRET_KEY": "dev-only-not-secret"},
    "SECRET_KEY=testing (the test value)": {"SECRET_KEY": "testing"},
    "SECRET_KEY of 12 characters": {"SECRET_KEY": "short-secret"},
    "RATELIMIT_STORAGE_URI=memory://": {"RATELIMIT_STORAGE_URI": "memory://"},
    "RATELIMIT_STORAGE_URI unset (memory:// by default)": {"RATELIMIT_STORAGE_URI": None},
}


def _env(stack: Stack, port: int, change: dict) -> dict:
    env = {**stack.production_env(port, scan_limits=False), "DIASPORA_WARM": "0"}
    for name, value in change.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run(stack: Stack, log) -> list[Finding]:
    findings = []
    for label, change in UNSAFE.items():
        port = free_port()
        server = Gunicorn(_env(stack, port, change), port, stack.workdir / "refusals.log")
        server.start()
        try:
            serving = server.wait_until_serving(timeout=60)
        finally:
            server.stop()
        log(f"  production with {label}: {'SERVED' if serving else 'refused'}")
        if serving:
            findings.append(
                Finding(
                    "production",
                    label,
                    "-",
                    "production starts and serves with this setting",
                    "high",
                )
            )
    seeded = stack.flask("seed-demo", env=_env(stack, free_port(), {}))
    log(f"  flask seed-demo in production: exit {seeded.returncode}")
    if seeded.returncode == 0:
        findings.append(
            Finding(
                "production",
                "flask seed-demo",
                "-",
                "production loads the demo accounts (known passwords)",
                "high",
            )
        )
    return findings
