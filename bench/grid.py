"""Grid, API list, search and ticket page latency through real HTTP against ``softwhere serve``.

Run against a generated database (see bench/README.md)::

    SOFTWHERE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/softwhere_bench \
        .venv/bin/python bench/grid.py [--requests 30] [--workers 2] [--url http://127.0.0.1:8765]

Without ``--url`` it starts ``softwhere serve`` (gunicorn) on a free port and stops it
at the end. It creates (or reuses) a ``bench-agent`` N2 login and API token, then
times each scenario sequentially (one client: server time, not throughput) after
``WARM_UP`` untimed requests; the ticket page's panels are timed one by one, then with
the page as a browser fetches them (``_time_with_panels``). Prints a JSON document, then a
short table: p50 / p95 / p99 in ms of the round trip the client measures and of the
server's own time (its ``Server-Timing`` header, ``server_p50``… in the JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "softwhere.settings")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402

from softwhere.accounts.models import ApiToken, User  # noqa: E402
from softwhere.core.validators import format_phone_national  # noqa: E402
from softwhere.customers.models import Contact  # noqa: E402
from softwhere.tickets.choices import TicketStatus  # noqa: E402
from softwhere.tickets.models import Ticket  # noqa: E402


def _credentials() -> tuple[str, str]:
    user, _ = User.objects.get_or_create(username="bench-agent", defaults={"role": "n2", "is_active": True})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    _, key = ApiToken.issue(user, "bench")
    return session.session_key or "", key


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "SOFTWHERE_DEBUG": "0",
        "SOFTWHERE_DB_CONN_MAX_AGE": "60",
        "SOFTWHERE_LOG_LEVEL": "WARNING",
        # Server-Timing header: the server's own time per request, apart from the round trip.
        "SOFTWHERE_SERVER_TIMING": "1",
        # Acknowledgement mails of created tickets must not wait on an SMTP server.
        "SOFTWHERE_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        **extra,
    }


def _start_server(
    workers: int, env: dict[str, str] | None = None, threads: int = 1
) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/softwhere"),
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--no-collectstatic",
        ],
        env=env or server_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(url + "/connexion/", timeout=1)
            return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("softwhere serve did not start")


WARM_UP = 6


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def _time(client: httpx.Client, path: str, n: int, params: dict[str, str] | None = None) -> dict[str, float]:
    # Untimed: a page's first view in each gunicorn worker loads its templates (250 ms for the ticket
    # page); the sync workers close every connection, so requests spread over the workers.
    for _ in range(WARM_UP):
        client.get(path, params=params)
    samples, server = [], []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path, params=params)
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} {params}: HTTP {response.status_code}")
        app = server_time(response)
        if app is not None:
            server.append(app)
    stats = {
        "p50": round(statistics.median(samples), 1),
        "p95": round(_percentile(samples, 95), 1),
        "p99": round(_percentile(samples, 99), 1),
        "n": n,
    }
    if len(server) == n:
        stats |= {
            "server_p50": round(statistics.median(server), 1),
            "server_p95": round(_percentile(server, 95), 1),
            "server_p99": round(_percentile(server, 99), 1),
        }
    return stats


_APP_DURATION = re.compile(r"(?:^|,)\s*app;dur=([0-9.]+)")


def server_time(response: httpx.Response) -> float | None:
    """Milliseconds the server spent on the request, from its ``Server-Timing: app;dur=…`` header."""
    found = _APP_DURATION.search(response.headers.get("server-timing", ""))
    return float(found.group(1)) if found else None


PANELS = (
    "/tickets/{ref}/panneau/sla/",
    "/tickets/{ref}/panneau/comms/",
    "/tickets/{ref}/panneau/interop/",
    "/diagnostics/tickets/{ref}/",
)


def _time_with_panels(url: str, session: str, reference: str, n: int) -> dict[str, float]:
    """The ticket as the agent sees it: the page, then the panels it fetches once shown, all at once as HTMX
    does (a browser opens up to six connections to a host); from the first byte asked to the last panel."""
    cookies = {settings.SESSION_COOKIE_NAME: session}
    clients = [httpx.Client(base_url=url, cookies=cookies, timeout=60, headers={"HX-Request": "true"}) for _ in PANELS]
    page = httpx.Client(base_url=url, cookies=cookies, timeout=60)
    paths = [p.format(ref=reference) for p in PANELS]

    def one() -> float:
        start = time.perf_counter()
        if page.get(f"/tickets/{reference}/").status_code != 200:
            raise SystemExit(f"/tickets/{reference}/: HTTP error")
        codes = list(pool.map(lambda pair: pair[0].get(pair[1]).status_code, zip(clients, paths, strict=True)))
        if any(code != 200 for code in codes):
            raise SystemExit(f"ticket panels: HTTP {codes}")
        return (time.perf_counter() - start) * 1000

    with ThreadPoolExecutor(len(paths)) as pool:
        for _ in range(WARM_UP):
            one()
        samples = [one() for _ in range(n)]
    return {
        "p50": round(statistics.median(samples), 1),
        "p95": round(_percentile(samples, 95), 1),
        "p99": round(_percentile(samples, 99), 1),
        "n": n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--url", default="")
    parser.add_argument(
        "--only", default="", help="time only the scenarios whose label contains this text (e.g. « risque »)"
    )
    args = parser.parse_args()

    total = Ticket.objects.count()
    sample = Ticket.objects.order_by("-id").values("reference", "organisation_id", "carrier_ticket_reference")[:500]
    rows = list(sample)
    busy_org = (
        Ticket.objects.values("organisation_id")
        .order_by()
        .annotate(n=django.db.models.Count("id"))
        .order_by("-n")
        .first()
    )
    # A worked ticket for the ticket page: qualified and escalated, so its checklist, timeline and panels are full
    # (the newest ticket may be a bare one that bench/create.py just opened).
    worked = (
        Ticket.objects.filter(status=TicketStatus.ESCALATED, case__isnull=False)
        .order_by("-id")
        .values_list("reference", flat=True)
        .first()
    ) or rows[0]["reference"]
    # Read apart from the sample: after bench/create.py the newest tickets have no carrier reference, and the
    # fallback "FT-" timed a three-letter search matching most of the base instead of one reference.
    carrier_ref = (
        Ticket.objects.exclude(carrier_ticket_reference="")
        .order_by("-id")
        .values_list("carrier_ticket_reference", flat=True)
        .first()
    ) or "FT-"
    # The customer's own reference, as a customer quotes it (generated: « CMD-123456 » on one ticket in eight).
    client_ref = (
        Ticket.objects.exclude(client_reference="").order_by("-id").values_list("client_reference", flat=True).first()
    ) or "CMD-"
    # A contact's number as an agent types it from a mail: matched as an identifier and, in every writing, in the text.
    phone = ".".join(
        format_phone_national(
            Contact.objects.exclude(phone="").order_by("id").values_list("phone", flat=True).first() or "+33199001234"
        ).split()
    )
    session, token = _credentials()
    proc = None
    url = args.url
    if not url:
        proc, url = _start_server(args.workers)
    try:
        web = httpx.Client(
            base_url=url, cookies={settings.SESSION_COOKIE_NAME: session}, timeout=60, headers={"HX-Request": "true"}
        )
        # First display of a page: the whole document, not the HTMX fragment the filters fetch.
        page = httpx.Client(base_url=url, cookies={settings.SESSION_COOKIE_NAME: session}, timeout=60)
        api = httpx.Client(base_url=url, headers={"Authorization": f"Token {token}"}, timeout=60)
        org = str(busy_org["organisation_id"]) if busy_org else ""
        n = args.requests
        results: dict[str, dict[str, float]] = {}
        scenarios = [
            ("grille : vue par défaut (ouverts, priorité)", web, "/tickets/", {}),
            ("grille : page complète (premier affichage)", page, "/tickets/", {}),
            ("grille : page 20", web, "/tickets/", {"page": "20"}),
            (
                "grille : tous, page 200 (offset 10 000)",
                web,
                "/tickets/",
                {"etat": "tous", "tri": "-age", "page": "200"},
            ),
            ("grille : société + état", web, "/tickets/", {"organisation": org, "etat": "tous"}),
            ("grille : niveau N2 ouverts", web, "/tickets/", {"niveau": "n2"}),
            ("grille : triée par âge", web, "/tickets/", {"etat": "tous", "tri": "age"}),
            ("grille : SLA à risque", web, "/tickets/", {"sla": "risque"}),
            ("grille : recherche référence", web, "/tickets/", {"q": rows[len(rows) // 2]["reference"][:8]}),
            ("grille : recherche réf. opérateur", web, "/tickets/", {"q": carrier_ref[:9]}),
            ("grille : recherche réf. client", web, "/tickets/", {"q": client_ref.lower(), "etat": "tous"}),
            ("grille : recherche téléphone", web, "/tickets/", {"q": phone, "etat": "tous"}),
            ("grille : plein texte « coupure fibre »", web, "/tickets/", {"q": "coupure fibre", "etat": "tous"}),
            ("grille : plein texte « voyants PON »", web, "/tickets/", {"q": "voyants PON"}),
            ("grille : plein texte rare « désenregistré »", web, "/tickets/", {"q": "désenregistré", "etat": "tous"}),
            ("API : liste", api, "/api/v1/tickets/", {}),
            ("API : société + ouverts", api, "/api/v1/tickets/", {"organisation": org, "is_open": "true"}),
            ("API : état escaladé", api, "/api/v1/tickets/", {"status": "escalated"}),
            ("API : recherche plein texte", api, "/api/v1/tickets/", {"q": "coupure fibre"}),
            ("page ticket", page, f"/tickets/{worked}/", {}),
            ("page ticket : panneau SLA", web, f"/tickets/{worked}/panneau/sla/", {}),
            ("page ticket : panneau communications", web, f"/tickets/{worked}/panneau/comms/", {}),
            ("page ticket : panneau OI", web, f"/tickets/{worked}/panneau/interop/", {}),
            ("page ticket : panneau diagnostics", web, f"/diagnostics/tickets/{worked}/", {}),
            ("page nouveau ticket", page, "/tickets/nouveau/", {}),
            ("API : détail ticket", api, f"/api/v1/tickets/{worked}/", {}),
        ]
        for label, client, path, params in scenarios:
            if args.only in label:
                results[label] = _time(client, path, n, params)
        whole = "page ticket complète (page puis ses 4 panneaux en parallèle)"
        if args.only in whole:
            results[whole] = _time_with_panels(url, session, worked, n)
        # Keyset depth: follow "next" 50 times, then time the 51st page.
        deep = "API : page 51 (curseur)"
        body = api.get("/api/v1/tickets/", params={"page_size": "50"}).json() if args.only in deep else {}
        for _ in range(50):
            if not body.get("next"):
                break
            body = api.get(body["next"]).json()
        if body.get("next"):
            results[deep] = _time(api, body["next"], n)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)
    doc = {"tickets": total, "vendor": connection.vendor, "workers": args.workers, "results_ms": results}
    print(json.dumps(doc, ensure_ascii=False, indent=1))
    print(f"\n{total} tickets ({connection.vendor}), {n} requêtes par scénario, temps en ms")
    print("aller-retour = mesuré par le client (boucle locale, client sur les mêmes cœurs) ; serveur = Server-Timing")
    print(f"{'scénario':<62} {'p50':>7} {'p95':>7} {'p99':>7}   {'serveur p50':>11} {'p95':>7} {'p99':>7}")
    for label, r in results.items():
        srv = (
            f"{r['server_p50']:>11} {r['server_p95']:>7} {r['server_p99']:>7}" if "server_p50" in r else f"{'—':>11}"
        )
        print(f"{label:<62} {r['p50']:>7} {r['p95']:>7} {r['p99']:>7}   {srv}")


if __name__ == "__main__":
    main()
