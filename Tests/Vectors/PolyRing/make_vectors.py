#!/usr/bin/env python3
"""Hand-checkable known-answer vectors for PolyRing, made independently of it.

Schoolbook negacyclic products in Z_q[X]/(X^N + 1) and Galois maps
a(X) -> a(X^k), for N = 8 and 16 over small NTT-friendly primes, written as
ntt_small.json. Run from this folder: python3 make_vectors.py
Not needed to build or test; kept so that the vectors can be regenerated
and checked by hand.
"""
import json
import random


def negacyclic_product(a, b, q):
    n = len(a)
    c = [0] * n
    for i in range(n):
        for j in range(n):
            k = i + j
            if k < n:
                c[k] = (c[k] + a[i] * b[j]) % q
            else:
                c[k - n] = (c[k - n] - a[i] * b[j]) % q
    return c


def galois(a, k, q):
    n = len(a)
    out = [0] * n
    for j, x in enumerate(a):
        e = (j * k) % (2 * n)
        if e < n:
            out[e] = (out[e] + x) % q
        else:
            out[e - n] = (out[e - n] - x) % q
    return out


def main():
    rng = random.Random(20261129)
    cases = []
    # (N, q): q ≡ 1 mod 2N, prime.
    for n, q in [(8, 17), (8, 97), (16, 97), (16, 193), (16, 12289), (8, 1152921504606846577)]:
        assert (q - 1) % (2 * n) == 0
        a = [rng.randrange(q) for _ in range(n)]
        b = [rng.randrange(q) for _ in range(n)]
        k = 2 * rng.randrange(n) + 1
        cases.append({
            "degree": n, "modulus": q, "a": a, "b": b,
            "product": negacyclic_product(a, b, q),
            "galoisElement": k, "galois": galois(a, k, q),
        })
    # One case small enough to check with pencil: N = 8, q = 17,
    # a = 1 + X, b = X^7: a*b = X^7 + X^8 = X^7 - 1.
    a = [1, 1, 0, 0, 0, 0, 0, 0]
    b = [0, 0, 0, 0, 0, 0, 0, 1]
    cases.insert(0, {
        "degree": 8, "modulus": 17, "a": a, "b": b,
        "product": negacyclic_product(a, b, 17),
        "galoisElement": 3, "galois": galois(a, 3, 17),
    })
    assert cases[0]["product"] == [16, 0, 0, 0, 0, 0, 0, 1]
    assert cases[0]["galois"] == [1, 0, 0, 1, 0, 0, 0, 0]
    with open("ntt_small.json", "w") as f:
        json.dump({"cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
