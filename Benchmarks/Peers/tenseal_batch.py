"""Batch scoring of HEKit's logistic model under TenSEAL's CKKS, in the layout
that suits a linear model best: one CKKS vector per feature column, one record
per slot (N = 8192: 4,096 slots), so the server computes
score = Σ_j w_j·ct_j + b with plaintext weights and no rotation at all.

Parameters: N = 8192, coefficient modulus [60, 40, 40, 60] bits (200 bits,
within the 128-bit bound of 218), scale 2^40, public-key encryption, one
thread (TenSEAL's n_threads = 1; run it under `taskset -c 1`).

Stages are timed as a client and a server would run them, each as compute
only and with the serialisation a real exchange needs (the client's
ciphertexts to bytes, the server reading them under a context without the
secret key and writing its result, the client reading that):

  client encrypt : ckks_vector per column and batch (+ serialize)
  server score   : (deserialize +) Σ w_j·ct_j + b (+ serialize)
  client decrypt : (deserialize +) decrypt

    python tenseal_batch.py --model model.json [--records 8192] [--reps 3] [--json out.json]
"""

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

from workload import Model, read_csv, tile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "Data", "breast_cancer.csv")
N = 8192
SLOTS = N // 2


def make_context():
    import tenseal as ts

    context = ts.context(ts.SCHEME_TYPE.CKKS, N, coeff_mod_bit_sizes=[60, 40, 40, 60], n_threads=1)
    context.global_scale = 2**40
    return context


def run_once(context, server_context, model, matrix):
    """One full pass; returns (per-stage seconds, decrypted logits)."""
    import tenseal as ts

    records, features = matrix.shape
    batches = [(start, min(start + SLOTS, records)) for start in range(0, records, SLOTS)]
    columns = np.ascontiguousarray(matrix.T)
    t = {}
    cpu = time.process_time()

    # Client: one ciphertext per (feature column, batch of 4,096 records).
    start = time.perf_counter()
    encrypted = [[ts.ckks_vector(context, columns[j, a:b].tolist()) for j in range(features)] for a, b in batches]
    t["client_encrypt"] = time.perf_counter() - start
    start = time.perf_counter()
    uploaded = [[ct.serialize() for ct in batch] for batch in encrypted]
    t["client_serialize"] = time.perf_counter() - start
    up_bytes = sum(len(blob) for batch in uploaded for blob in batch)

    # Server: the public context only; plaintext weights; no rotation.
    start = time.perf_counter()
    received = [[ts.ckks_vector_from(server_context, blob) for blob in batch] for batch in uploaded]
    t["server_deserialize"] = time.perf_counter() - start
    weights = [float(w) for w in model.weights]
    start = time.perf_counter()
    scores = []
    for batch in received:
        total = batch[0] * weights[0]
        for j in range(1, features):
            total += batch[j] * weights[j]
        total += model.intercept
        scores.append(total)
    t["server_score"] = time.perf_counter() - start
    start = time.perf_counter()
    downloaded = [score.serialize() for score in scores]
    t["server_serialize"] = time.perf_counter() - start
    down_bytes = sum(len(blob) for blob in downloaded)

    # Client: read the scores back under the secret-key context and decrypt.
    start = time.perf_counter()
    back = [ts.ckks_vector_from(context, blob) for blob in downloaded]
    t["client_deserialize"] = time.perf_counter() - start
    start = time.perf_counter()
    logits = []
    for (a, b), score in zip(batches, back):
        logits.extend(score.decrypt()[: b - a])
    t["client_decrypt"] = time.perf_counter() - start
    t["cpu"] = time.process_time() - cpu
    return t, np.array(logits), up_bytes, down_bytes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="model.json written by hekit train")
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--records", type=int, default=8192, help="records scored per pass (the rows tiled)")
    parser.add_argument("--reps", type=int, default=3, help="full passes; per-stage medians are reported")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()

    import tenseal as ts

    names, rows, _ = read_csv(args.data)
    model = Model(args.model)
    if names != model.features:
        sys.exit(f"{args.data}: columns differ from the model's features")
    matrix = tile(rows, args.records)
    expected = model.logits(matrix)

    start = time.perf_counter()
    context = make_context()
    server_context = context.copy()
    server_context.make_context_public()
    keygen = time.perf_counter() - start

    passes = []
    for _ in range(args.reps):
        stages, logits, up_bytes, down_bytes = run_once(context, server_context, model, matrix)
        passes.append(stages)
    stage = {name: statistics.median(p[name] for p in passes) for name in passes[0]}
    cpu = stage.pop("cpu")
    client_compute = stage["client_encrypt"] + stage["client_decrypt"]
    server_compute = stage["server_score"]
    client_total = client_compute + stage["client_serialize"] + stage["client_deserialize"]
    server_total = server_compute + stage["server_deserialize"] + stage["server_serialize"]
    compute = client_compute + server_compute
    total = client_total + server_total

    errors = np.abs(logits - expected)
    labels = model.labels(logits)
    reference = model.labels(expected)
    first = len(rows)
    result = {
        "library": "TenSEAL CKKS",
        "version": f"tenseal {ts.__version__}",
        "layout": "one CKKS vector per feature column, one record per slot; score = Σ w_j·ct_j + b, plaintext weights",
        "parameters": {"N": N, "coeff_mod_bit_sizes": [60, 40, 40, 60], "log_q": 200, "scale_bits": 40,
                       "slots": SLOTS, "threads": 1},
        "records": args.records,
        "features": matrix.shape[1],
        "ciphertexts_up": -(-args.records // SLOTS) * matrix.shape[1],
        "bytes_up": up_bytes,
        "bytes_down": down_bytes,
        "passes": args.reps,
        "keygen_seconds": keygen,
        "stages_seconds": stage,
        "client_compute_seconds": client_compute,
        "server_compute_seconds": server_compute,
        "client_seconds": client_total,
        "server_seconds": server_total,
        "cpu_seconds": cpu,
        "records_per_second": args.records / total,
        "records_per_second_compute_only": args.records / compute,
        "max_logit_error": float(errors.max()),
        "labels_agree": int(np.sum(labels == reference)),
        "labels_agree_first_569": f"{int(np.sum(labels[:first] == reference[:first]))}/{first}",
    }
    print(f"TenSEAL {ts.__version__} CKKS N={N} [60,40,40,60] scale 2^40: {args.records} records × {matrix.shape[1]} features,"
          f" {result['ciphertexts_up']} ciphertexts up, median of {args.reps} passes")
    for name, seconds in stage.items():
        print(f"  {name:20s} {seconds:8.3f} s")
    print(f"  processor time {cpu:.3f} s per pass")
    print(f"  client {client_total:.3f} s (compute {client_compute:.3f}), server {server_total:.3f} s (compute {server_compute:.3f})")
    print(f"  {result['records_per_second']:.0f} records/s end to end ({result['records_per_second_compute_only']:.0f} compute only)")
    print(f"  labels agree {result['labels_agree']}/{args.records} ({result['labels_agree_first_569']} of the distinct rows),"
          f" max |logit error| {result['max_logit_error']:.2e}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
