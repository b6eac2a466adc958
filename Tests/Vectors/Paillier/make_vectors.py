#!/usr/bin/env python3
"""Makes HEKit's python-paillier interop vectors (run once; output committed).

    pip install phe==1.5.0 && python3 make_vectors.py

Writes phe_vectors.json: pheutil-format keys (1024 and 2048 bits), raw
encryptions with injected r, fixed-point encodings, ciphertexts made by phe
with their decryptions, homomorphic results, and a key in the older
lambda/mu layout. HEKit's tests read the JSON; nothing here runs in the build.
"""
import json, random
import phe
from phe import paillier, util
from phe.encoding import EncodedNumber

rng = random.Random(20261129)


def jwk_pair(pub, priv, tag):
    jpub = {"kty": "DAJ", "alg": "PAI-GN1", "key_ops": ["encrypt"],
            "n": util.int_to_base64(pub.n), "kid": "phe vector key " + tag}
    jpriv = {"kty": "DAJ", "key_ops": ["decrypt"], "p": util.int_to_base64(priv.p),
             "q": util.int_to_base64(priv.q), "pub": jpub, "kid": "phe vector private key " + tag}
    return jpub, jpriv


def vectors_for(bits):
    pub, priv = paillier.generate_paillier_keypair(n_length=bits)
    jpub, jpriv = jwk_pair(pub, priv, str(bits))
    n = pub.n
    out = {"bits": bits, "public_jwk": json.dumps(jpub), "private_jwk": json.dumps(jpriv)}
    lam = (priv.p - 1) * (priv.q - 1)
    out["legacy_private_jwk"] = json.dumps({"kty": "DAJ", "key_ops": ["decrypt"], "lambda": util.int_to_base64(lam),
                                            "mu": util.int_to_base64(pow(lam, -1, n)), "pub": jpub})
    kat = []
    for m in [0, 1, 42, -1, -123456789, pub.max_int, -pub.max_int, rng.randrange(pub.max_int)]:
        while True:
            r = rng.randrange(1, n)
            if util.invert(r, n):
                break
        kat.append({"m": str(m), "r": str(r), "c": str(pub.raw_encrypt(m % n, r_value=r))})
    out["standard_kat"] = kat
    enc = []
    values = [0.0, -0.0, 1.0, -1.5, 0.1, 3.141592653589793, -2.5e-7, 1e-300, 5e-324, 123456789.125,
              -9.99e20, 1e100, 2.0 ** -1074, 7.0, -3.0, 0.5, 1.0 / 3.0]
    for v in values:
        e = EncodedNumber.encode(pub, v)
        enc.append({"value": repr(v), "encoding": str(e.encoding), "exponent": e.exponent, "decoded": repr(e.decode())})
    for v, prec in [(3.14159, 1e-3), (-2.0, 0.5), (1234.5678, 1e-8), (0.1, 16.0 ** -5)]:
        e = EncodedNumber.encode(pub, v, precision=prec)
        enc.append({"value": repr(v), "precision": repr(prec), "encoding": str(e.encoding), "exponent": e.exponent,
                    "decoded": repr(e.decode())})
    for v, mx in [(1.5, -40), (2.0, -3), (100.25, -32)]:
        e = EncodedNumber.encode(pub, v, max_exponent=mx)
        enc.append({"value": repr(v), "max_exponent": mx, "encoding": str(e.encoding), "exponent": e.exponent,
                    "decoded": repr(e.decode())})
    out["encodings"] = enc
    cts = []
    for v in [5, -17, 0, 2 ** 60, 2.5, -0.125, 3.141592653589793, -1234.5]:
        c = pub.encrypt(v)
        cts.append({"v": str(c.ciphertext()), "e": c.exponent, "plaintext": repr(priv.decrypt(c))})
    # pheutil's serialisation lowers exponents to -32.
    c = pub.encrypt(6.25).decrease_exponent_to(-32)
    cts.append({"v": str(c.ciphertext()), "e": c.exponent, "plaintext": repr(priv.decrypt(c))})
    out["ciphertexts"] = cts
    a, b = pub.encrypt(10), pub.encrypt(-4.5)
    ops = {"a": {"v": str(a.ciphertext()), "e": a.exponent}, "b": {"v": str(b.ciphertext()), "e": b.exponent}}
    ops["a_plus_b"] = repr(priv.decrypt(a + b))
    ops["a_times_3"] = repr(priv.decrypt(a * 3))
    ops["b_times_minus_2_5"] = repr(priv.decrypt(b * -2.5))
    ops["a_plus_1_25"] = repr(priv.decrypt(a + 1.25))
    out["operations"] = ops
    return out


if __name__ == "__main__":
    data = {"phe_version": phe.__version__, "keys": [vectors_for(1024), vectors_for(2048)]}
    with open("phe_vectors.json", "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
