"""Crawl throughput under politeness: 500 local sites on distinct hostnames, 20 ms per response.

A separate process runs an asyncio HTTP/1.1 server on 127.0.0.1 that adds 20 ms of latency to
every response and records the arrival time of every request per Host. The crawler reaches the
500 hostnames through its resolve map (all → 127.0.0.1, allowed explicitly) with a per-host
limit of 1 request/s. Printed: pages/s, requests/s, peak memory, and the smallest gap between two
requests to the same host seen by the server (must be ≥ 1 s).

    nice -n 10 python benchmarks/bench_crawl.py [--sites 500] [--latency 0.02] [--parse-workers 0]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import resource
import time
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

HOME = (
    "<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>{name}</title></head>"
    "<body><header><nav><a href='/'>Start</a><a href='/produkte'>Produkte</a></nav></header>"
    "<main><h1>{name}</h1><p>Qualität aus Deutschland seit 1970.</p></main>"
    "<footer><a href='/datenschutz'>Datenschutz</a> <a href='/impressum'>Impressum</a></footer>"
    "</body></html>"
)
IMPRINT = (
    "<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>Impressum</title></head>"
    "<body><main><h1>Impressum</h1><p>Angaben gemäß § 5 DDG</p>"
    "<p>{name} GmbH<br>Industriestraße {n}<br>{plz} Musterstadt</p>"
    "<p>Telefon: 030 {n:06d}<br>E-Mail: info [at] {host} </p>"
    "<p>Registergericht: Amtsgericht Berlin (Charlottenburg)<br>HRB {n}</p>"
    "<p>Geschäftsführer: Max Mustermann</p></main></body></html>"
)


def _serve(port_out: mp.Queue, log_path: str, latency: float) -> None:  # type: ignore[type-arg]
    log: list[tuple[str, str, float]] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                host = ""
                for line in lines[1:]:
                    if line.lower().startswith("host:"):
                        host = line[5:].strip().rsplit(":", 1)[0]
                log.append((host, path, time.monotonic()))
                if path == "/__dump":
                    Path(log_path).write_text(json.dumps(log))
                    body, status, ctype = b"ok", 200, "text/plain"
                else:
                    await asyncio.sleep(latency)
                    n = int(host.split(".")[0].rsplit("-", 1)[1]) if "-" in host else 0
                    name = f"Firma {n}"
                    if path == "/":
                        body, status, ctype = HOME.format(name=name).encode(), 200, "text/html"
                    elif path == "/impressum":
                        text = IMPRINT.format(name=name, n=n + 1, plz=10000 + n, host=host)
                        body, status, ctype = text.encode(), 200, "text/html"
                    else:
                        body, status, ctype = b"not found", 404, "text/plain"
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Type: {ctype}; charset=utf-8\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
        port_out.put(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument(
        "--parse-workers", type=int, default=0, help="processes for parsing (WebSettings)"
    )
    args = parser.parse_args()

    import httpx

    from dq.sources.web import WebSettings, enrich_web

    log_path = str(Path("/tmp") / f"bench_crawl_{time.time_ns()}.json")
    ports: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    server = mp.Process(target=_serve, args=(ports, log_path, args.latency), daemon=True)
    server.start()
    port = ports.get(timeout=10)
    hosts = [f"firma-{i}.bench.test" for i in range(args.sites)]
    settings = WebSettings(
        allowed_networks=("127.0.0.1/32",),
        resolve=dict.fromkeys(hosts, "127.0.0.1"),
        per_host_rate=1.0,
        concurrency=64,
        site_concurrency=args.sites,
        parse_workers=args.parse_workers,
    )
    hosts.append("warmup.bench.test")
    settings = settings.model_copy(update={"resolve": dict.fromkeys(hosts, "127.0.0.1")})
    # imports, TLS context, standardiser tables: loaded once, outside the measurement
    enrich_web([f"http://warmup.bench.test:{port}/"], settings)
    hosts.pop()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    result = enrich_web([f"http://{h}:{port}/" for h in hosts], settings)
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    httpx.get(f"http://127.0.0.1:{port}/__dump", timeout=10)
    server.terminate()
    log = json.loads(Path(log_path).read_text())
    Path(log_path).unlink()

    per_host: dict[str, list[float]] = defaultdict(list)
    for host, path, t in log:
        if path != "/__dump" and not host.startswith("warmup."):
            per_host[host].append(t)
    gaps = [b - a for ts in per_host.values() for a, b in pairwise(sorted(ts))]
    pages = int(result.sites["pages_fetched"].sum())
    requests = sum(len(ts) for ts in per_host.values())
    ok = result.summary["ok"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"sites:               {args.sites} ({ok} ok)")
    print(f"latency per response {args.latency * 1000:.0f} ms, per-host limit 1 request/s")
    print(f"parse workers:       {args.parse_workers}")
    print(f"elapsed:             {elapsed:.2f} s")
    print(f"HTML pages:          {pages}  ->  {pages / elapsed:.0f} pages/s")
    print(f"requests (incl. robots.txt): {requests}  ->  {requests / elapsed:.0f} requests/s")
    print(f"crawler CPU time:    {cpu:.2f} s  ->  {pages / cpu:.0f} pages per CPU-second")
    if args.parse_workers:
        print("  (the crawler's own process only; the parse workers' CPU is not included)")
    print(f"smallest gap between two requests to one host: {min(gaps):.3f} s")
    print(f"hosts with two requests within 1 s: {sum(1 for g in gaps if g < 1.0)}")
    print(f"peak memory (RSS):   {peak_mb:.0f} MB")
    if min(gaps) < 1.0 or ok != args.sites:
        raise SystemExit("FAILED: per-host limit exceeded or sites not ok")


if __name__ == "__main__":
    main()
