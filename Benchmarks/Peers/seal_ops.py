"""Per-operation BFV timings of Microsoft SEAL (through TenSEAL's `sealapi`) and,
when its wheel imports, OpenFHE, at N = 8192 and log q close to 218.

Each operation runs once untimed, then `--reps` times; the median, p90 and
minimum are reported in seconds. Inputs are prepared outside the timed call,
as `hekit bench` does: encrypt times public-key encryption of an encoded
plaintext, decrypt times decryption of a fresh ciphertext, multiply +
relinearise times a ciphertext-ciphertext product followed by
relinearisation, rotate times a rotation of the rows by one slot.

Run on one core (`taskset -c 1`); SEAL is single-threaded here and OpenFHE's
OpenMP is limited to one thread by OMP_NUM_THREADS=1, which this script sets
before importing it.

    python seal_ops.py [--reps 60] [--json out.json]
"""

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

N = 8192


def timing(body, reps):
    """Calls body once untimed, then reps times; returns the stats in seconds."""
    body()
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        body()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return {
        "median": statistics.median(samples),
        "p90": samples[min(len(samples) - 1, len(samples) * 9 // 10)],
        "min": samples[0],
        "samples": len(samples),
    }


def seal_ops(reps):
    """SEAL BFV: N = 8192, BFVDefault coefficient modulus (5 primes, 218 bits),
    a 20-bit batching prime as plaintext modulus."""
    import tenseal
    import tenseal.sealapi as seal

    params = seal.EncryptionParameters(seal.SCHEME_TYPE.BFV)
    params.set_poly_modulus_degree(N)
    params.set_coeff_modulus(seal.CoeffModulus.BFVDefault(N, seal.SEC_LEVEL_TYPE.TC128))
    params.set_plain_modulus(seal.PlainModulus.Batching(N, 20))
    context = seal.SEALContext(params, True, seal.SEC_LEVEL_TYPE.TC128)
    primes = [q.bit_count() for q in params.coeff_modulus()]
    t = params.plain_modulus().value()

    keygen = seal.KeyGenerator(context)
    secret_key = keygen.secret_key()
    public_key = seal.PublicKey()
    keygen.create_public_key(public_key)
    relin_keys = seal.RelinKeys()
    keygen.create_relin_keys(relin_keys)
    galois_keys = seal.GaloisKeys()
    keygen.create_galois_keys(galois_keys)

    encryptor = seal.Encryptor(context, public_key)
    decryptor = seal.Decryptor(context, secret_key)
    evaluator = seal.Evaluator(context)
    encoder = seal.BatchEncoder(context)

    plain = seal.Plaintext()
    encoder.encode([i * 7919 % t for i in range(N)], plain)
    x = seal.Ciphertext()
    encryptor.encrypt(plain, x)
    y = seal.Ciphertext()
    encryptor.encrypt(plain, y)

    def encrypt():
        out = seal.Ciphertext()
        encryptor.encrypt(plain, out)

    def decrypt():
        out = seal.Plaintext()
        decryptor.decrypt(x, out)

    def multiply_relinearize():
        out = seal.Ciphertext()
        evaluator.multiply(x, y, out)
        evaluator.relinearize_inplace(out, relin_keys)

    def rotate():
        out = seal.Ciphertext()
        evaluator.rotate_rows(x, 1, galois_keys, out)

    # A correctness check before timing: (x*y) decrypts to the slot products.
    product = seal.Ciphertext()
    evaluator.multiply(x, y, product)
    evaluator.relinearize_inplace(product, relin_keys)
    check = seal.Plaintext()
    decryptor.decrypt(product, check)
    values = encoder.decode_uint64(check)
    expected = [(i * 7919 % t) ** 2 % t for i in range(4)]
    if list(values[:4]) != expected:
        raise RuntimeError(f"SEAL self-check failed: {list(values[:4])} != {expected}")

    return {
        "library": "SEAL (TenSEAL sealapi)",
        "version": f"tenseal {tenseal.__version__}",
        "parameters": {
            "N": N,
            "log_q": sum(primes),
            "primes": primes,
            "plaintext_modulus": t,
            "plaintext_bits": t.bit_length(),
            "note": "SEAL keeps the last prime as the key-switching special prime: ciphertexts live mod the first "
            f"{len(primes) - 1} ({sum(primes[:-1])} bits)",
        },
        "ops": {
            "encrypt": timing(encrypt, reps),
            "decrypt": timing(decrypt, reps),
            "multiply_relinearize": timing(multiply_relinearize, reps),
            "rotate_rows_1": timing(rotate, reps),
        },
    }


def openfhe_context(depth, t):
    import openfhe as fhe

    params = fhe.CCParamsBFVRNS()
    params.SetPlaintextModulus(t)
    params.SetMultiplicativeDepth(depth)
    params.SetRingDim(N)
    params.SetSecurityLevel(fhe.SecurityLevel.HEStd_128_classic)
    context = fhe.GenCryptoContext(params)
    for feature in (fhe.PKESchemeFeature.PKE, fhe.PKESchemeFeature.KEYSWITCH, fhe.PKESchemeFeature.LEVELEDSHE):
        context.Enable(feature)
    return context


def openfhe_ops(reps, t):
    """OpenFHE BFVrns at ring dimension 8192, HEStd_128_classic: the deepest
    multiplicative depth OpenFHE accepts at that ring dimension (it refuses
    parameters below the security level), so log q is as close to 218 as its
    modulus chain allows. Returns an "unavailable" entry when the wheel does not import."""
    try:
        import openfhe as fhe
    except ImportError as error:
        return {"library": "OpenFHE", "unavailable": f"import openfhe failed: {error}"}

    context, depth, refusals = None, None, []
    for candidate in range(8, 0, -1):
        try:
            context = openfhe_context(candidate, t)
            if context.GetRingDimension() != N:
                refusals.append(f"depth {candidate}: ring dimension {context.GetRingDimension()}")
                context = None
                continue
            depth = candidate
            break
        except Exception as error:  # OpenFHE raises a RuntimeError naming the violated bound
            message = str(error).splitlines()[0]
            refusals.append(f"depth {candidate}: {message[message.find('Ring dimension'):][:90]}")
    if context is None:
        return {"library": "OpenFHE", "unavailable": "no depth fits N = 8192 at HEStd_128_classic", "tried": refusals}

    # The Python API gives Q as a float; its log2 is exact enough to name the bit count.
    log_q = round(math.log2(float(context.GetModulus())), 1)

    keys = context.KeyGen()
    context.EvalMultKeyGen(keys.secretKey)
    context.EvalRotateKeyGen(keys.secretKey, [1])
    plain = context.MakePackedPlaintext([i * 7919 % t for i in range(N)])
    x = context.Encrypt(keys.publicKey, plain)
    y = context.Encrypt(keys.publicKey, plain)

    product = context.EvalMult(x, y)
    check = context.Decrypt(product, keys.secretKey)
    values = check.GetPackedValue()[:4]
    expected = [(i * 7919 % t) ** 2 % t for i in range(4)]
    if [v % t for v in values] != expected:
        raise RuntimeError(f"OpenFHE self-check failed: {values} != {expected}")

    return {
        "library": "OpenFHE",
        "version": f"openfhe-python {getattr(fhe, '__version__', None) or _dist_version('openfhe')}",
        "parameters": {
            "N": context.GetRingDimension(),
            "log_q": log_q,
            "multiplicative_depth": depth,
            "plaintext_modulus": context.GetPlaintextModulus(),
            "refused_deeper": refusals,
            "note": "log q of the ciphertext modulus Q (OpenFHE's hybrid key switching adds special primes P beyond it); "
            "Decrypt includes decoding the packed plaintext (the Python API has no decrypt without it)",
        },
        "ops": {
            "encrypt": timing(lambda: context.Encrypt(keys.publicKey, plain), reps),
            "decrypt": timing(lambda: context.Decrypt(x, keys.secretKey), reps),
            "multiply_relinearize": timing(lambda: context.EvalMult(x, y), reps),
            "rotate_rows_1": timing(lambda: context.EvalRotate(x, 1), reps),
        },
    }


def _dist_version(name):
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:
        return "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=60, help="timed repetitions per operation (at least 50)")
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--skip-openfhe", action="store_true")
    args = parser.parse_args()
    if args.reps < 50:
        parser.error("--reps must be at least 50")

    seal_result = seal_ops(args.reps)
    results = [seal_result]
    if not args.skip_openfhe:
        results.append(openfhe_ops(args.reps, seal_result["parameters"]["plaintext_modulus"]))
    for result in results:
        if "unavailable" in result:
            print(f"{result['library']}: skipped ({result['unavailable']})")
            continue
        p = result["parameters"]
        print(f"{result['library']} ({result['version']}): N={p['N']} log q {p['log_q']}, t={p['plaintext_modulus']}")
        for name, op in result["ops"].items():
            print(f"  {name:24s} median {op['median'] * 1e3:8.3f} ms  p90 {op['p90'] * 1e3:8.3f} ms  ({op['samples']} reps)")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"python": platform.python_version(), "results": results}, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
