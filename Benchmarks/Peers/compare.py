"""HEKit next to its peers, measured in one run on this machine.

(a) End-to-end batch scoring of HEKit's breast-cancer logistic model:
    HEKit through its CLI's own files (`hekit encrypt`, `score`, `decrypt`,
    BFV N = 8192, one thread) against TenSEAL's CKKS with one vector per
    feature column (tenseal_batch.py), on the same records tiled to
    --records rows.
(b) BFV per-operation medians at N = 8192, log q 218: `hekit bench --scheme
    bfv` against SEAL through TenSEAL's sealapi and OpenFHE (seal_ops.py).

Every child process runs pinned to one core (`taskset -c CORE`) with one
thread (HEKIT_THREADS=1, TenSEAL n_threads=1, OMP_NUM_THREADS=1). Prints one
Markdown report and writes it, with the raw figures as JSON, to
--results/peers-latest.md and peers-latest.json.

    python compare.py --hekit PATH/TO/hekit [--records 8192] [--reps 3]
"""

import argparse
import csv
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np

from workload import Model, read_csv, tile, write_csv

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


class Runner:
    """Runs child processes pinned to one core, with one thread each."""

    def __init__(self, core):
        self.prefix = ["taskset", "-c", str(core)] if core is not None and shutil.which("taskset") else []
        self.env = dict(os.environ, HEKIT_THREADS="1", HEKIT_TUNING="off", HEKIT_PROGRESS="never",
                        OMP_NUM_THREADS="1")

    def run(self, argv, **kwargs):
        """Runs argv; returns (wall-clock seconds, stdout). Raises on failure.
        The child's processor time (user + system) is left in self.cpu."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(self.prefix + argv, env=self.env, capture_output=True, text=True, **kwargs)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr[-2000:]}")
        return seconds, done.stdout


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return [float(v) for v in f.read().split()[:3]]
    except OSError:
        return None


def cpu_name():
    """The processor's model name, and whether it has AVX-512 (HEKit's native build uses it)."""
    name, avx512 = None, False
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") and name is None:
                    name = line.split(":", 1)[1].strip()
                if line.startswith("flags"):
                    avx512 = avx512 or " avx512f" in line
    except OSError:
        pass
    name = name or platform.processor() or platform.machine()
    return f"{name} ({'AVX-512' if avx512 else 'no AVX-512'})"


def hekit_end_to_end(runner, hekit, work, model_path, csv_path, matrix, model, reps, distinct):
    """keygen once, then `reps` passes of encrypt → score → decrypt through files;
    per-stage medians of wall clock (process start to exit) and of the seconds
    each command reports in its --json summary."""
    key = os.path.join(work, "clinic")
    keygen_wall, out = runner.run([hekit, "keygen", "--scheme", "bfv", "--output", key, "--force", "--json"])
    keygen = json.loads(out)
    records_file, scores_file, scores_csv = (os.path.join(work, n) for n in ("records.enc", "scores.enc", "scores.csv"))
    stages = {"encrypt": [], "score": [], "decrypt": []}
    inside = {"encrypt": [], "score": [], "decrypt": []}
    cpu = []
    commands = {
        "encrypt": [hekit, "encrypt", "--key", key + ".pub", "--input", csv_path, "--header", "--output", records_file],
        "score": [hekit, "score", "--model", model_path, "--key", key + ".pub", "--input", records_file,
                  "--output", scores_file],
        "decrypt": [hekit, "decrypt", "--key", key + ".key", scores_file, "--output", scores_csv],
    }
    summaries = {}
    for _ in range(reps):
        cpu.append(0.0)
        for stage, argv in commands.items():
            wall, out = runner.run(argv + ["--force", "--json"])
            cpu[-1] += runner.cpu
            summary = json.loads(out)
            stages[stage].append(wall)
            inside[stage].append(float(summary.get("seconds", "nan")))
            summaries[stage] = summary
    with open(scores_csv, newline="") as f:
        logits = np.array([float(row["logit"]) for row in csv.DictReader(f)])
    expected = model.logits(matrix)
    labels, reference = model.labels(logits), model.labels(expected)
    wall = {stage: statistics.median(v) for stage, v in stages.items()}
    measured = {stage: statistics.median(v) for stage, v in inside.items()}
    total = sum(wall.values())
    return {
        "library": "HEKit CLI (BFV)",
        "keygen": keygen,
        "keygen_wall_seconds": keygen_wall,
        "records": len(matrix),
        "passes": reps,
        "stages_wall_seconds": wall,
        "stages_reported_seconds": measured,
        "all_wall_seconds": stages,
        "cpu_seconds": statistics.median(cpu),
        "client_seconds": wall["encrypt"] + wall["decrypt"],
        "server_seconds": wall["score"],
        "records_per_second": len(matrix) / total,
        "records_per_second_reported": len(matrix) / sum(measured.values()),
        "bytes_up": os.path.getsize(records_file),
        "bytes_down": os.path.getsize(scores_file),
        "max_logit_error": float(np.max(np.abs(logits - expected))),
        "labels_agree": int(np.sum(labels == reference)),
        "labels_agree_first_rows": f"{int(np.sum(labels[:distinct] == reference[:distinct]))}/{min(distinct, len(matrix))}",
        "summaries": summaries,
    }


HEKIT_OPS = {
    "encrypt": "encrypt (public key",
    "decrypt": "decrypt",
    "multiply_relinearize": "multiply + relinearise",
    "rotate_rows_1": "rotate rows by 1",
}
OP_NAMES = {
    "encrypt": "encrypt (public key)",
    "decrypt": "decrypt",
    "multiply_relinearize": "multiply + relinearise",
    "rotate_rows_1": "rotate rows by 1",
}


def hekit_ops(bench):
    rows = [r for r in bench["rows"] if r["scheme"] == "bfv"]
    ops = {}
    batch = next((r for r in rows if r["operation"].startswith("batch score") and r.get("threads") == 1), None)
    for key, prefix in HEKIT_OPS.items():
        row = next(r for r in rows if r["operation"].startswith(prefix))
        ops[key] = {"median": row["median"], "p90": row["p90"], "min": row["min"], "samples": row["samples"]}
    return {"library": "HEKit", "parameters": rows[0]["parameters"], "ops": ops, "batch": batch}


def ms(seconds):
    return f"{seconds * 1e3:.2f}" if seconds < 10 else f"{seconds * 1e3:.0f}"


def s(seconds):
    return f"{seconds:.3f}"


def ratio(a, b):
    return f"{a / b:.2f}" if b else "—"


def report(info, e2e, tenseal, ops, peers):
    lines = [
        "# HEKit and its peers, side by side",
        "",
        f"Run {info['date']} on {info['machine']}; every process pinned to core {info['core']} with one thread. "
        f"Load average {info['load_start']} at the start, {info['load_end']} at the end. "
        f"Versions: {info['versions']}.",
        "",
        f"## End-to-end batch scoring: {e2e['records']:,} records × {tenseal['features']} features "
        f"(Data/breast_cancer.csv, {info['rows']} rows tiled), the model of `hekit train`",
        "",
        "Seconds per pass, median of "
        f"{e2e['passes']} passes. HEKit: wall clock of each `hekit` process (start, key and file reading, "
        "work, file writing), BFV N = 8192, log q 218, 3 plaintext moduli, noise flooding on. TenSEAL: CKKS N = 8192, "
        "[60,40,40,60], scale 2^40, one vector per feature column, in one Python process, with the "
        "serialisation a client–server exchange needs (compute only in brackets). "
        "Ratio = HEKit time / TenSEAL time (below 1: HEKit faster).",
        "",
        "| stage | HEKit CLI (s) | TenSEAL CKKS (s) | HEKit / TenSEAL |",
        "| --- | ---: | ---: | ---: |",
    ]
    t = tenseal["stages_seconds"]
    ts_enc = t["client_encrypt"] + t["client_serialize"]
    ts_score = t["server_deserialize"] + t["server_score"] + t["server_serialize"]
    ts_dec = t["client_deserialize"] + t["client_decrypt"]
    w = e2e["stages_wall_seconds"]
    inside = e2e["stages_reported_seconds"]
    for label, hk, hk_in, peer, peer_compute in [
        ("client: encrypt", w["encrypt"], inside["encrypt"], ts_enc, t["client_encrypt"]),
        ("server: score", w["score"], inside["score"], ts_score, t["server_score"]),
        ("client: decrypt", w["decrypt"], inside["decrypt"], ts_dec, t["client_decrypt"]),
    ]:
        lines.append(f"| {label} | {s(hk)} ({s(hk_in)} reported) | {s(peer)} ({s(peer_compute)}) | {ratio(hk, peer)} |")
    hk_total = sum(w.values())
    ts_total = ts_enc + ts_score + ts_dec
    ts_compute = tenseal["client_compute_seconds"] + tenseal["server_compute_seconds"]
    lines += [
        f"| **total** | **{s(hk_total)}** ({s(sum(inside.values()))}) | **{s(ts_total)}** ({s(ts_compute)}) | "
        f"**{ratio(hk_total, ts_total)}** |",
        f"| records/s end to end | {e2e['records_per_second']:,.0f} | {tenseal['records_per_second']:,.0f} "
        f"({tenseal['records_per_second_compute_only']:,.0f}) | {ratio(e2e['records_per_second'], tenseal['records_per_second'])}× the rate |",
    ]
    batch = ops.get("batch")
    if batch:
        lines.append(
            f"| in memory, compute only: records/s | {batch['perSecond']:,.0f} (`hekit bench`: {batch['operation']}, "
            f"{s(batch['median'])} s) | {tenseal['records_per_second_compute_only']:,.0f} ({s(ts_compute)} s) | "
            f"{ratio(batch['perSecond'], tenseal['records_per_second_compute_only'])}× the rate |")
    lines += [
        f"| processor time per pass (user + system) | {s(e2e['cpu_seconds'])} | {s(tenseal['cpu_seconds'])} | "
        f"{ratio(e2e['cpu_seconds'], tenseal['cpu_seconds'])} |",
        f"| labels equal to plaintext scoring | {e2e['labels_agree']:,}/{e2e['records']:,} "
        f"({e2e['labels_agree_first_rows']} distinct rows) | {tenseal['labels_agree']:,}/{tenseal['records']:,} "
        f"({tenseal['labels_agree_first_569']}) | |",
        f"| max \\|logit error\\| | {e2e['max_logit_error']:.1e} | {tenseal['max_logit_error']:.1e} | |",
        f"| bytes up / down | {e2e['bytes_up'] / 1e6:.1f} MB / {e2e['bytes_down'] / 1e3:.0f} KB | "
        f"{tenseal['bytes_up'] / 1e6:.1f} MB / {tenseal['bytes_down'] / 1e3:.0f} KB | |",
        "",
        "(\"reported\": the seconds each `hekit` command states in its `--json` summary, i.e. without process "
        "start-up. \"In memory\": `hekit bench`'s batch score, the library's client encrypt + server score + client "
        "decrypt of one full batch with a synthetic 30-feature logistic model, no files, no noise flooding, against "
        "TenSEAL's compute-only seconds above.)",
        "",
        "## BFV per operation, N = 8192",
        "",
        "Median milliseconds (repetitions in brackets). Ratio = HEKit / peer (below 1: HEKit faster).",
        "",
    ]
    header = "| operation | HEKit |"
    rule = "| --- | ---: |"
    for peer in peers:
        header += f" {peer['short']} |"
        rule += " ---: |"
    for peer in peers:
        header += f" HEKit / {peer['short']} |"
        rule += " ---: |"
    lines += [header, rule]
    params = f"| parameters | {ops['parameters']} |"
    for peer in peers:
        p = peer["parameters"]
        extra = f", depth {p['multiplicative_depth']}" if "multiplicative_depth" in p else ""
        params += f" logq={p['log_q']}, t={p['plaintext_modulus']}{extra} |"
    params += " |" * len(peers)
    lines.append(params)
    for key, name in OP_NAMES.items():
        hk = ops["ops"][key]
        row = f"| {name} | {ms(hk['median'])} ({hk['samples']}) |"
        for peer in peers:
            op = peer["ops"][key]
            row += f" {ms(op['median'])} ({op['samples']}) |"
        for peer in peers:
            row += f" {ratio(hk['median'], peer['ops'][key]['median'])} |"
        lines.append(row)
    lines += [
        "",
        "HEKit: `hekit bench --scheme bfv` (wall-clock medians; its preset n8192 spends all 218 bits of q on the "
        "ciphertext, no special prime, depth 5). SEAL: `CoeffModulus.BFVDefault(8192)`, whose 218 bits include the "
        "key-switching special prime (ciphertexts live mod the other 174 bits). OpenFHE: the deepest depth it accepts at "
        "ring dimension 8192 and HEStd_128_classic; log Q excludes its key-switching primes P, and its `Decrypt` also "
        "decodes. SEAL and OpenFHE: `time.perf_counter` around each call from Python (a few µs of call overhead).",
    ]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hekit", required=True, help="the release hekit binary")
    parser.add_argument("--records", type=int, default=8192, help="records per end-to-end pass (rows tiled)")
    parser.add_argument("--reps", type=int, default=3, help="end-to-end passes per side")
    parser.add_argument("--op-reps", type=int, default=60, help="repetitions per peer operation (≥ 50)")
    parser.add_argument("--bench-seconds", type=float, default=2.0, help="hekit bench --seconds")
    parser.add_argument("--core", default="1", help="the core every process is pinned to ('none': no pinning)")
    parser.add_argument("--work", default=os.path.join(ROOT, ".build-peers", "work"))
    parser.add_argument("--results", default=os.path.join(ROOT, "Benchmarks", "results"))
    args = parser.parse_args()

    core = None if args.core == "none" else args.core
    runner = Runner(core)
    hekit = os.path.abspath(args.hekit)
    os.makedirs(args.work, exist_ok=True)
    python = sys.executable
    load_start = load_average()
    started = datetime.datetime.now(datetime.timezone.utc)

    def step(text):
        print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)

    # The model both sides score, from HEKit's own trainer (as `hekit demo` trains it: every 5th row held out).
    data = os.path.join(ROOT, "Data", "breast_cancer.csv")
    model_path = os.path.join(args.work, "model.json")
    step("hekit train")
    runner.run([hekit, "train", "--input", data, "--target", "target", "--test-every", "5",
                "--output", model_path, "--force"])
    model = Model(model_path)
    names, rows, _ = read_csv(data)
    matrix = tile(rows, args.records)
    csv_path = os.path.join(args.work, f"records-{args.records}.csv")
    write_csv(csv_path, names, matrix)

    step(f"HEKit end to end: {args.records} records, {args.reps} passes")
    e2e = hekit_end_to_end(runner, hekit, args.work, model_path, csv_path, matrix, model, args.reps, len(rows))

    step("TenSEAL CKKS end to end")
    tenseal_json = os.path.join(args.work, "tenseal.json")
    runner.run([python, os.path.join(HERE, "tenseal_batch.py"), "--model", model_path, "--data", data,
                "--records", str(args.records), "--reps", str(args.reps), "--json", tenseal_json])
    with open(tenseal_json) as f:
        tenseal = json.load(f)

    step(f"hekit bench --scheme bfv --seconds {args.bench_seconds}")
    bench_json = os.path.join(args.work, "hekit-bench.json")
    runner.run([hekit, "bench", "--scheme", "bfv", "--seconds", str(args.bench_seconds), "--output", bench_json,
                "--force"])
    with open(bench_json) as f:
        bench = json.load(f)
    ops = hekit_ops(bench)

    step("SEAL and OpenFHE per operation")
    peers_json = os.path.join(args.work, "seal-ops.json")
    runner.run([python, os.path.join(HERE, "seal_ops.py"), "--reps", str(args.op_reps), "--json", peers_json])
    with open(peers_json) as f:
        peer_results = json.load(f)["results"]
    peers, skipped = [], []
    for result in peer_results:
        if "unavailable" in result:
            skipped.append(f"{result['library']}: {result['unavailable']}")
            continue
        result["short"] = "SEAL" if result["library"].startswith("SEAL") else result["library"]
        peers.append(result)

    _, hekit_version = runner.run([hekit, "--version"])
    versions = [f"hekit {hekit_version.strip()}", tenseal["version"]]
    versions += [p["version"] for p in peers if p["short"] != "SEAL"]
    versions += [f"Python {platform.python_version()}", f"numpy {np.__version__}"]
    info = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{cpu_name()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "core": core if core is not None else "none",
        "load_start": " ".join(f"{v:.2f}" for v in load_start) if load_start else "unknown",
        "load_end": " ".join(f"{v:.2f}" for v in load_average() or []) or "unknown",
        "versions": ", ".join(versions),
        "rows": len(rows),
    }
    text = report(info, e2e, tenseal, ops, peers)
    if skipped:
        text += "\nSkipped: " + "; ".join(skipped) + "\n"
    print()
    print(text)
    os.makedirs(args.results, exist_ok=True)
    with open(os.path.join(args.results, "peers-latest.md"), "w") as f:
        f.write(text)
    with open(os.path.join(args.results, "peers-latest.json"), "w") as f:
        json.dump({"info": info, "hekit_end_to_end": e2e, "tenseal_batch": tenseal, "hekit_ops": ops,
                   "hekit_bench": bench, "peer_ops": peer_results, "skipped": skipped}, f, indent=2)
    step(f"wrote {os.path.join(args.results, 'peers-latest.md')} and peers-latest.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
