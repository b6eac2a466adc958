#!/usr/bin/env python3
"""Known-answer vectors for BigNum, computed with Python's own integers (not GMP).

Run from this folder: python3 make_vectors.py > bignum_vectors.json
sympy (for nextprime) is optional; without it those vectors are skipped.
Not part of the build: the JSON it writes is committed.
"""
import base64, json, math, random

rng = random.Random(20261129)  # fixed seed: the file is reproducible

def rand_bits(bits, top=True, odd=False):
    x = rng.getrandbits(bits)
    if top: x |= 1 << (bits - 1)
    if odd: x |= 1
    return x

def trunc_divmod(a, b):
    q = abs(a) // abs(b)
    if (a < 0) != (b < 0): q = -q
    return q, a - q * b

def b64url(n):
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")

out = {"modpow": [], "inverse": [], "division": [], "gcd": [], "encoding": [], "nextprime": []}
for bits in (64, 521, 1024, 2048, 3072, 4096):
    for odd in (True, False):
        m = rand_bits(bits, odd=odd)
        b = rng.getrandbits(bits + 17)           # base larger than the modulus
        e = rand_bits(bits)                       # full-size exponent
        out["modpow"].append({"bits": bits, "base": hex(b), "exponent": hex(e), "modulus": hex(m), "result": hex(pow(b, e, m))})
for bits in (128, 2048, 4096):
    m = rand_bits(bits, odd=True)
    a = rng.getrandbits(bits)
    while math.gcd(a, m) != 1:
        a = rng.getrandbits(bits)
    out["inverse"].append({"value": hex(a), "modulus": hex(m), "inverse": hex(pow(a, -1, m))})
for bits in (70, 1000, 4096):
    for sa in (1, -1):
        for sb in (1, -1):
            a = sa * rand_bits(bits); b = sb * rand_bits(bits // 2)
            tq, tr = trunc_divmod(a, b); fq, fr = divmod(a, b)
            out["division"].append({"dividend": str(a), "divisor": str(b), "tquot": str(tq), "trem": str(tr), "fquot": str(fq), "frem": str(fr)})
for bits in (200, 3000):
    g = rand_bits(bits // 3); a = g * rand_bits(bits); b = g * rand_bits(bits)
    out["gcd"].append({"a": str(a), "b": str(b), "gcd": str(math.gcd(a, b)), "lcm": str(a * b // math.gcd(a, b))})
for bits in (1, 8, 9, 63, 64, 65, 1000, 3072):
    n = rand_bits(bits)
    out["encoding"].append({"decimal": str(n), "hex": format(n, "x"), "base64url": b64url(n), "bytes": n.to_bytes((n.bit_length() + 7) // 8, "big").hex()})
try:
    import sympy
    for bits in (32, 100, 512, 1024):
        n = rand_bits(bits)
        out["nextprime"].append({"start": str(n), "next": str(sympy.nextprime(n))})
except ImportError:
    pass
print(json.dumps(out, indent=1))
