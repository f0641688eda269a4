//! Both providers on the same inputs: valid signatures for every algorithm, then single-bit flips
//! of message, signature and key, every truncation, and garbage, requiring the same verdict class
//! from aws-lc-rs and RustCrypto. Plus known answers from an independent implementation that each
//! provider must accept on its own.
//!
//! Flips that end in full signature arithmetic cost milliseconds each in RustCrypto without
//! optimisation (P-384 ~10 ms), so those are sampled with a stride whose offset rotates from case
//! to case; flips rejected before the arithmetic (EC key bits, truncations) are exhaustive.
#![cfg(all(feature = "aws-lc", feature = "rustcrypto"))]
// Helpers outside `#[test]` functions build fixtures; a failure there should fail loudly too.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use attester_core::crypto::{
    AwsLc, CryptoError, Curve, EcdsaSigningKey, HashAlg, Provider, PublicKey, RustCrypto,
    Signature, SignatureAlg, default_provider, digest,
};
use aws_lc_rs::signature as lc;
use der::asn1::UintRef;
use der::{Decode, Reader, SliceReader};
use p256::ecdsa::signature::hazmat::PrehashSigner;
use x509_cert::spki::SubjectPublicKeyInfoRef;

const MESSAGE: &[u8] = b"attester cross-provider message";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Ok,
    BadSignature,
    MalformedKey,
    MalformedSignature,
    Unsupported,
    Provider,
}

fn class(result: Result<(), CryptoError>) -> Verdict {
    match result {
        Ok(()) => Verdict::Ok,
        Err(CryptoError::BadSignature) => Verdict::BadSignature,
        Err(CryptoError::MalformedKey(_)) => Verdict::MalformedKey,
        Err(CryptoError::MalformedSignature(_)) => Verdict::MalformedSignature,
        Err(CryptoError::Unsupported(_)) => Verdict::Unsupported,
        Err(CryptoError::Provider(_)) => Verdict::Provider,
        Err(other) => panic!("unexpected error {other:?}"),
    }
}

#[derive(Clone, Debug)]
enum Key {
    Spki(Vec<u8>),
    Point(Curve, Vec<u8>),
    Rsa(Vec<u8>, Vec<u8>),
}

impl Key {
    fn borrow(&self) -> PublicKey<'_> {
        match self {
            Key::Spki(der) => PublicKey::Spki(der),
            Key::Point(curve, sec1) => PublicKey::EcPoint {
                curve: *curve,
                sec1,
            },
            Key::Rsa(n, e) => PublicKey::Rsa { n, e },
        }
    }

    /// The bytes a mutation works on (for RSA components: the modulus).
    fn bytes_mut(&mut self) -> &mut Vec<u8> {
        match self {
            Key::Spki(b) | Key::Point(_, b) | Key::Rsa(b, _) => b,
        }
    }
}

#[derive(Clone, Debug)]
enum Sig {
    Fixed(Vec<u8>),
    Der(Vec<u8>),
    Rsa(Vec<u8>),
}

impl Sig {
    fn borrow(&self) -> Signature<'_> {
        match self {
            Sig::Fixed(b) => Signature::EcdsaFixed(b),
            Sig::Der(b) => Signature::EcdsaDer(b),
            Sig::Rsa(b) => Signature::Rsa(b),
        }
    }

    fn bytes_mut(&mut self) -> &mut Vec<u8> {
        match self {
            Sig::Fixed(b) | Sig::Der(b) | Sig::Rsa(b) => b,
        }
    }
}

struct Case {
    name: String,
    alg: SignatureAlg,
    key: Key,
    message: Vec<u8>,
    sig: Sig,
}

/// Runs both providers and requires the same verdict class, one-shot and through a parsed
/// key.
fn both(alg: SignatureAlg, key: &Key, message: &[u8], sig: &Sig, what: &str) -> Verdict {
    let a = class(AwsLc.verify(alg, key.borrow(), message, sig.borrow()));
    let r = class(RustCrypto.verify(alg, key.borrow(), message, sig.borrow()));
    assert_eq!(
        a, r,
        "providers disagree on {what} ({alg:?}): aws-lc {a:?}, rustcrypto {r:?}"
    );
    let pa = parsed(&AwsLc, alg, key, message, sig);
    let pr = parsed(&RustCrypto, alg, key, message, sig);
    assert_eq!(
        pa, pr,
        "providers disagree on {what} ({alg:?}) with a parsed key: aws-lc {pa:?}, rustcrypto {pr:?}"
    );
    // A parsed key decides the key before any signature: a key that is off its curve is
    // refused at parse time even when the one-shot call saw a malformed signature first.
    assert!(
        pa == a || (pa == Verdict::MalformedKey && a == Verdict::MalformedSignature),
        "parsed key disagrees with one-shot verify on {what} ({alg:?}): {pa:?} vs {a:?}"
    );
    a
}

/// The verdict through `Provider::parse_key` and `ParsedKey::verify`.
fn parsed(
    provider: &dyn Provider,
    alg: SignatureAlg,
    key: &Key,
    message: &[u8],
    sig: &Sig,
) -> Verdict {
    match provider.parse_key(alg, key.borrow()) {
        Ok(parsed) => {
            assert_eq!(parsed.alg(), alg);
            class(parsed.verify(message, sig.borrow()))
        }
        Err(e) => class(Err(e)),
    }
}

fn flip(bytes: &mut [u8], bit: usize) {
    bytes[bit / 8] ^= 1 << (bit % 8);
}

/// Which bits the battery flips: every `stride`-th, starting at `offset % stride`.
#[derive(Clone, Copy)]
struct Sampling {
    message: usize,
    signature: usize,
    key: usize,
    offset: usize,
}

fn bits(len: usize, stride: usize, offset: usize) -> impl Iterator<Item = usize> {
    (0..len * 8).filter(move |bit| (bit + offset) % stride == 0)
}

/// The mutation battery; returns how many verifications were compared.
fn run(case: &Case, sampling: Sampling) -> usize {
    let Sampling {
        message: message_stride,
        signature: signature_stride,
        key: key_stride,
        offset,
    } = sampling;
    let mut n = 0;
    let name = &case.name;
    assert_eq!(
        both(case.alg, &case.key, &case.message, &case.sig, name),
        Verdict::Ok,
        "{name} must verify"
    );
    // Message: any change is a bad signature, never a malformed one.
    for bit in bits(case.message.len(), message_stride, offset) {
        let mut m = case.message.clone();
        flip(&mut m, bit);
        let v = both(
            case.alg,
            &case.key,
            &m,
            &case.sig,
            &format!("{name} message bit {bit}"),
        );
        assert_eq!(v, Verdict::BadSignature, "{name} message bit {bit}");
        n += 1;
    }
    // Signature bits.
    let sig_len = match &case.sig {
        Sig::Fixed(b) | Sig::Der(b) | Sig::Rsa(b) => b.len(),
    };
    for bit in bits(sig_len, signature_stride, offset) {
        let mut s = case.sig.clone();
        flip(s.bytes_mut(), bit);
        let v = both(
            case.alg,
            &case.key,
            &case.message,
            &s,
            &format!("{name} signature bit {bit}"),
        );
        assert_ne!(v, Verdict::Ok, "{name} signature bit {bit}");
        n += 1;
    }
    // Key bits.
    let key_len = case.key.clone().bytes_mut().len();
    for bit in bits(key_len, key_stride, offset) {
        let mut k = case.key.clone();
        flip(k.bytes_mut(), bit);
        let v = both(
            case.alg,
            &k,
            &case.message,
            &case.sig,
            &format!("{name} key bit {bit}"),
        );
        assert_ne!(v, Verdict::Ok, "{name} key bit {bit}");
        n += 1;
    }
    // Truncations of signature and key, and one trailing byte on each.
    for len in 0..sig_len {
        let mut s = case.sig.clone();
        s.bytes_mut().truncate(len);
        let v = both(
            case.alg,
            &case.key,
            &case.message,
            &s,
            &format!("{name} signature cut {len}"),
        );
        assert_eq!(
            v,
            Verdict::MalformedSignature,
            "{name} signature cut to {len}"
        );
        n += 1;
    }
    for len in 0..key_len {
        let mut k = case.key.clone();
        k.bytes_mut().truncate(len);
        let v = both(
            case.alg,
            &k,
            &case.message,
            &case.sig,
            &format!("{name} key cut {len}"),
        );
        assert_ne!(v, Verdict::Ok, "{name} key cut to {len}");
        n += 1;
    }
    let mut s = case.sig.clone();
    s.bytes_mut().push(0);
    assert_eq!(
        both(
            case.alg,
            &case.key,
            &case.message,
            &s,
            &format!("{name} signature + 1")
        ),
        Verdict::MalformedSignature
    );
    let mut k = case.key.clone();
    k.bytes_mut().push(0);
    assert_ne!(
        both(
            case.alg,
            &k,
            &case.message,
            &case.sig,
            &format!("{name} key + 1")
        ),
        Verdict::Ok
    );
    n + 2
}

/// A P-256 or P-384 key from a fixed scalar, signing through RustCrypto with any hash.
fn ecdsa_sign(curve: Curve, hash: HashAlg, message: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let prehash = digest(hash, message);
    match curve {
        Curve::P256 => {
            let key = p256::ecdsa::SigningKey::from_slice(&[0x11; 32]).unwrap();
            let sig: p256::ecdsa::Signature = key.sign_prehash(prehash.as_bytes()).unwrap();
            let point = key.verifying_key().to_sec1_point(false).as_bytes().to_vec();
            (point, sig.to_bytes().to_vec())
        }
        Curve::P384 => {
            let key = p384::ecdsa::SigningKey::from_slice(&[0x22; 48]).unwrap();
            let sig: p384::ecdsa::Signature = key.sign_prehash(prehash.as_bytes()).unwrap();
            let point = key.verifying_key().to_sec1_point(false).as_bytes().to_vec();
            (point, sig.to_bytes().to_vec())
        }
    }
}

/// DER `ECDSA-Sig-Value` from fixed `r || s`, written out by hand so the test does not use the
/// code under test to produce its inputs.
fn fixed_to_der(fixed: &[u8]) -> Vec<u8> {
    fn int(v: &[u8]) -> Vec<u8> {
        let mut v: Vec<u8> = v.iter().copied().skip_while(|&b| b == 0).collect();
        if v.is_empty() || v[0] & 0x80 != 0 {
            v.insert(0, 0);
        }
        let mut out = vec![0x02, v.len() as u8];
        out.extend(v);
        out
    }
    let (r, s) = fixed.split_at(fixed.len() / 2);
    let mut body = int(r);
    body.extend(int(s));
    let mut out = vec![0x30];
    if body.len() >= 0x80 {
        out.push(0x81);
    }
    out.push(body.len() as u8);
    out.extend(body);
    out
}

/// SPKI from an uncompressed point, written out by hand for the same reason.
fn ec_spki(curve: Curve, point: &[u8]) -> Vec<u8> {
    let prefix = match curve {
        Curve::P256 => hex::decode("3059301306072a8648ce3d020106082a8648ce3d030107034200").unwrap(),
        Curve::P384 => hex::decode("3076301006072a8648ce3d020106052b81040022036200").unwrap(),
    };
    [prefix, point.to_vec()].concat()
}

fn rsa_components(spki: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let spki = SubjectPublicKeyInfoRef::from_der(spki).unwrap();
    let bits = spki.subject_public_key.as_bytes().unwrap();
    let mut reader = SliceReader::new(bits).unwrap();
    reader
        .sequence(|r| {
            let n = UintRef::decode(r)?.as_bytes().to_vec();
            let e = UintRef::decode(r)?.as_bytes().to_vec();
            Ok::<_, der::Error>((n, e))
        })
        .unwrap()
}

fn pem_body(pem: &str) -> Vec<u8> {
    use base64::Engine;
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap()
}

struct RsaKey {
    pair: lc::RsaKeyPair,
    spki: Vec<u8>,
}

fn rsa_key(pem: &str) -> RsaKey {
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::signature::KeyPair;
    let pair = lc::RsaKeyPair::from_pkcs8(&pem_body(pem)).unwrap();
    let spki = pair.public_key().as_der().unwrap().as_ref().to_vec();
    RsaKey { pair, spki }
}

fn rsa_sign(key: &RsaKey, encoding: &'static dyn lc::RsaEncoding, message: &[u8]) -> Vec<u8> {
    let mut sig = vec![0; key.pair.public_modulus_len()];
    key.pair
        .sign(
            encoding,
            &aws_lc_rs::rand::SystemRandom::new(),
            message,
            &mut sig,
        )
        .unwrap();
    sig
}

const RSA2048: &str = include_str!("data/rsa2048.pk8.pem");
const RSA4096: &str = include_str!("data/rsa4096.pk8.pem");

/// Every hash, signature form and key form on `curve`; `stride` samples the flips that need
/// full arithmetic.
fn ecdsa_battery(curve: Curve, stride: usize) -> usize {
    let mut total = 0;
    let mut offset = 0;
    for hash in [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512] {
        let (point, fixed) = ecdsa_sign(curve, hash, MESSAGE);
        let alg = SignatureAlg::Ecdsa { curve, hash };
        for (form, sig) in [
            ("fixed", Sig::Fixed(fixed.clone())),
            ("der", Sig::Der(fixed_to_der(&fixed))),
        ] {
            let keys = [
                ("spki", Key::Spki(ec_spki(curve, &point))),
                ("point", Key::Point(curve, point.clone())),
            ];
            for (key_form, key) in keys {
                let sampling = Sampling {
                    message: stride,
                    signature: stride,
                    key: 1,
                    offset,
                };
                offset += 5;
                total += run(
                    &Case {
                        name: format!("{curve:?}/{hash:?}/{form}/{key_form}"),
                        alg,
                        key,
                        message: MESSAGE.to_vec(),
                        sig: sig.clone(),
                    },
                    sampling,
                );
            }
        }
    }
    total
}

#[test]
fn ecdsa_p256_every_hash_and_encoding_under_mutations() {
    let total = ecdsa_battery(Curve::P256, 24);
    assert!(total > 8_000, "{total}");
}

#[test]
fn ecdsa_p384_every_hash_and_encoding_under_mutations() {
    let total = ecdsa_battery(Curve::P384, 48);
    assert!(total > 10_000, "{total}");
}

#[test]
fn ecdsa_keys_from_the_seeded_signer() {
    for curve in [Curve::P256, Curve::P384] {
        let key = EcdsaSigningKey::from_seed(curve, b"cross-provider", b"signer").unwrap();
        let fixed = key.sign(MESSAGE).unwrap();
        let alg = SignatureAlg::Ecdsa {
            curve,
            hash: curve.default_hash(),
        };
        let spki = Key::Spki(key.spki_der().unwrap());
        assert_eq!(spki, Key::Spki(ec_spki(curve, key.public_sec1())));
        for sig in [Sig::Fixed(fixed.clone()), Sig::Der(fixed_to_der(&fixed))] {
            assert_eq!(both(alg, &spki, MESSAGE, &sig, "seeded"), Verdict::Ok);
        }
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        format!("{self:?}") == format!("{other:?}")
    }
}

#[test]
fn ecdsa_garbage_keys_and_signatures() {
    let (point, fixed) = ecdsa_sign(Curve::P256, HashAlg::Sha256, MESSAGE);
    let alg = SignatureAlg::Ecdsa {
        curve: Curve::P256,
        hash: HashAlg::Sha256,
    };
    let sig = Sig::Fixed(fixed.clone());
    let order =
        hex::decode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551").unwrap();
    let prime =
        hex::decode("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff").unwrap();
    let mut compressed = vec![0x02 | (point[64] & 1)];
    compressed.extend(&point[1..33]);
    let mut x_is_p = point.clone();
    x_is_p[1..33].copy_from_slice(&prime);
    let garbage_keys = [
        (Key::Point(Curve::P256, vec![]), Verdict::MalformedKey),
        (Key::Point(Curve::P256, vec![0x00]), Verdict::MalformedKey),
        (
            Key::Point(Curve::P256, vec![0x04; 65]),
            Verdict::MalformedKey,
        ),
        (
            Key::Point(Curve::P256, [&[0x04][..], &[0; 64]].concat()),
            Verdict::MalformedKey,
        ),
        (
            Key::Point(Curve::P256, compressed.clone()),
            Verdict::MalformedKey,
        ),
        (
            Key::Spki(ec_spki(Curve::P256, &compressed)),
            Verdict::MalformedKey,
        ),
        (Key::Point(Curve::P256, x_is_p), Verdict::MalformedKey),
        (
            Key::Point(Curve::P384, point.clone()),
            Verdict::MalformedKey,
        ),
        (Key::Spki(vec![0x30, 0x00]), Verdict::MalformedKey),
        (
            Key::Spki(b"not a key at all".to_vec()),
            Verdict::MalformedKey,
        ),
        (
            Key::Rsa(vec![0xff; 256], vec![1, 0, 1]),
            Verdict::MalformedKey,
        ),
        (Key::Spki(rsa_key(RSA2048).spki), Verdict::MalformedKey),
    ];
    for (i, (key, expected)) in garbage_keys.iter().enumerate() {
        assert_eq!(
            both(alg, key, MESSAGE, &sig, &format!("garbage key {i}")),
            *expected,
            "key {i}"
        );
    }
    let good = Key::Point(Curve::P256, point);
    let zero = [0u8; 32];
    let one = {
        let mut v = vec![0u8; 32];
        v[31] = 1;
        v
    };
    let garbage_sigs = [
        Sig::Fixed([&zero[..], &fixed[32..]].concat()),
        Sig::Fixed([&fixed[..32], &zero[..]].concat()),
        Sig::Fixed([&order[..], &fixed[32..]].concat()),
        Sig::Fixed([&fixed[..32], &order[..]].concat()),
        Sig::Fixed(vec![0xff; 64]),
        Sig::Der(fixed_to_der(&[&order[..], &fixed[32..]].concat())),
        Sig::Der(vec![0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00]),
        Sig::Der(vec![0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01]),
        Sig::Der(vec![0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x01]),
        Sig::Der(fixed.clone()),
        Sig::Rsa(fixed.clone()),
    ];
    for (i, sig) in garbage_sigs.iter().enumerate() {
        assert_eq!(
            both(alg, &good, MESSAGE, sig, &format!("garbage signature {i}")),
            Verdict::MalformedSignature,
            "signature {i}"
        );
    }
    // Small in-range values are well-formed and simply wrong.
    let small = Sig::Fixed([&one[..], &one[..]].concat());
    assert_eq!(
        both(alg, &good, MESSAGE, &small, "r = s = 1"),
        Verdict::BadSignature
    );
}

type RsaEncodingCase = (
    &'static str,
    fn(HashAlg) -> SignatureAlg,
    HashAlg,
    &'static dyn lc::RsaEncoding,
);

const RSA_ENCODINGS: [RsaEncodingCase; 4] = [
    (
        "pss-sha256",
        |hash| SignatureAlg::RsaPss { hash },
        HashAlg::Sha256,
        &lc::RSA_PSS_SHA256,
    ),
    (
        "pss-sha384",
        |hash| SignatureAlg::RsaPss { hash },
        HashAlg::Sha384,
        &lc::RSA_PSS_SHA384,
    ),
    (
        "pkcs1-sha256",
        |hash| SignatureAlg::RsaPkcs1 { hash },
        HashAlg::Sha256,
        &lc::RSA_PKCS1_SHA256,
    ),
    (
        "pkcs1-sha384",
        |hash| SignatureAlg::RsaPkcs1 { hash },
        HashAlg::Sha384,
        &lc::RSA_PKCS1_SHA384,
    ),
];

/// Every RSA scheme and hash with one key; `stride` samples signature and modulus bits (flips
/// of the modulus mostly leave a well-formed key, so they need full arithmetic too).
fn rsa_battery(size: &str, pem: &str, message_stride: usize, stride: usize) -> usize {
    let key = rsa_key(pem);
    let (n, e) = rsa_components(&key.spki);
    let mut total = 0;
    let mut offset = 0;
    for (name, make, hash, encoding) in RSA_ENCODINGS {
        let alg = make(hash);
        let sig = Sig::Rsa(rsa_sign(&key, encoding, MESSAGE));
        for (key_form, k, key_stride) in [
            ("spki", Key::Spki(key.spki.clone()), stride),
            ("components", Key::Rsa(n.clone(), e.clone()), stride * 3),
        ] {
            let sampling = Sampling {
                message: message_stride,
                signature: stride,
                key: key_stride,
                offset,
            };
            offset += 7;
            total += run(
                &Case {
                    name: format!("rsa{size}/{name}/{key_form}"),
                    alg,
                    key: k,
                    message: MESSAGE.to_vec(),
                    sig: sig.clone(),
                },
                sampling,
            );
        }
        // The signature under every other RSA algorithm: well-formed, wrong.
        for (other, make_other, other_hash, _) in RSA_ENCODINGS {
            if other != name {
                let spki = Key::Spki(key.spki.clone());
                let v = both(make_other(other_hash), &spki, MESSAGE, &sig, "other alg");
                assert_eq!(v, Verdict::BadSignature, "{name} checked as {other}");
            }
        }
    }
    total
}

#[test]
fn rsa_2048_every_scheme_and_hash_under_mutations() {
    let total = rsa_battery("2048", RSA2048, 8, 32);
    assert!(total > 3_000, "{total}");
}

#[test]
fn rsa_4096_every_scheme_and_hash_under_mutations() {
    let total = rsa_battery("4096", RSA4096, 32, 192);
    assert!(total > 5_000, "{total}");
}

#[test]
fn rsa_garbage_keys_and_signatures() {
    let key = rsa_key(RSA2048);
    let (n, e) = rsa_components(&key.spki);
    let alg = SignatureAlg::RsaPss {
        hash: HashAlg::Sha256,
    };
    let sig = Sig::Rsa(rsa_sign(&key, &lc::RSA_PSS_SHA256, MESSAGE));
    let mut even = n.clone();
    *even.last_mut().unwrap() &= 0xfe;
    let keys = [
        Key::Rsa(n[1..].to_vec(), e.clone()),
        Key::Rsa(even, e.clone()),
        Key::Rsa(n.clone(), vec![1]),
        Key::Rsa(n.clone(), vec![2]),
        Key::Rsa(n.clone(), vec![]),
        Key::Rsa(n.clone(), vec![0x03, 0, 0, 0, 1]),
        Key::Rsa(vec![], e.clone()),
        Key::Rsa([vec![0xff; 1025]].concat(), e.clone()),
        Key::Spki(ec_spki(
            Curve::P256,
            &ecdsa_sign(Curve::P256, HashAlg::Sha256, b"").0,
        )),
    ];
    for (i, k) in keys.iter().enumerate() {
        assert_eq!(
            both(alg, k, MESSAGE, &sig, &format!("rsa garbage key {i}")),
            Verdict::MalformedKey,
            "key {i}"
        );
    }
    let good = Key::Rsa(
        [vec![0, 0], n.clone()].concat(),
        [vec![0], e.clone()].concat(),
    );
    assert_eq!(
        both(alg, &good, MESSAGE, &sig, "leading zeros"),
        Verdict::Ok
    );
    let sigs = [
        Sig::Rsa(n.clone()),
        Sig::Rsa(vec![0xff; n.len()]),
        Sig::Rsa(vec![]),
        Sig::Fixed(vec![1; n.len()]),
        Sig::Der(vec![1; n.len()]),
    ];
    for (i, s) in sigs.iter().enumerate() {
        assert_eq!(
            both(
                alg,
                &Key::Rsa(n.clone(), e.clone()),
                MESSAGE,
                s,
                &format!("rsa garbage sig {i}")
            ),
            Verdict::MalformedSignature,
            "signature {i}"
        );
    }
    let zero = Sig::Rsa(vec![0; n.len()]);
    assert_eq!(
        both(alg, &Key::Rsa(n.clone(), e), MESSAGE, &zero, "zero"),
        Verdict::BadSignature
    );
}

// Known answers, produced once by an independent implementation (Python `cryptography` over
// OpenSSL) from the message below; each provider must accept them on its own.
const KAT_MESSAGE: &[u8] = b"attester known-answer message";
const KAT_P256_SHA256_SPKI: &str = "3059301306072a8648ce3d020106082a8648ce3d03010703420004794059c6a5228edd13af51dd554ff3cf6873e0a7d909a76b11fcfc48c03fb9938367cc6e674536f1d51bf15d92c4542ae311e68bb5a809998a0606999bf77c5b";
const KAT_P256_SHA256_SIG_DER: &str = "30440220297262d64d9692f64010d1ad39db4c06cee9b7edfe57e150f97db356df6f3a5802206d9276fa37b7a306efbe3c5295a4e23a5c6bdbfb8b298afb41c40f87c9aee099";
const KAT_P384_SHA384_SPKI: &str = "3076301006072a8648ce3d020106052b81040022036200045a0d58f0bbd2e041c79d867bd047a741d814f9f72db210e8d1fa503e9314f9ee952741ed97ab7d1f94d72a2bd7b7ce0290068abbd7d54e2f5d5d072c9bafce9dcdda2c73bf15739bf3d05db22cd5c8d28f8ee8b7da57c5d9d65f2aed40a99059";
const KAT_P384_SHA384_SIG_DER: &str = "30660231008a022e24c9078f173efb03b99f922ce45a3d30d3f5908fdc44f6137a71747d233d3bf75c7ba1a432ea331d047385bfec023100f0d7e4973129f67d23661a2b2751094acf84d2f43c4e18de875f7aca7550db8de60832524474c7b53bf507852ede11f9";
const KAT_P384_SHA256_SPKI: &str = "3076301006072a8648ce3d020106052b81040022036200045f14d8d6151ec18105f40e05bc5c2287618b120e328cd92935990f07e55fc6bdc4eb0206fe2bad73d59cee87a16d530f9f3829401581d224bf2dd6aa5fa5f0fb6893f3496ab83367af3dba428c1d722faeafe5df30b9e0c14a8423302be5ff51";
const KAT_P384_SHA256_SIG_DER: &str = "30650230285fc75ec9958a42c761e5db01d361529c2a319ab98cda28c9b225148f373994e476b190841a4a4a4d2e43f1a48f01e2023100d68d5784f4d131556059a92add1f7fdf8a91a2160d26cf1faf73db061ea8c494067510808199be204eea0a851c3b1383";
const KAT_RSA2048_PKCS1_SHA256_SPKI: &str = "30820122300d06092a864886f70d01010105000382010f003082010a0282010100869801d09d1d331215f9f08c06b1bdd2943d96a9c5f73872933712d5915efc927908aede9e7cad1abe6882d648065d4bca178fd5e3c037083e4ecb2c5c4c6fae384ed1bd2fb304c22335eb681a4bf23075de865f8c21f0fa3988022de4b572755c82b808257e0bad71ffe9b62aedcaa4572002bfa62c81f390dde9ce3051a615947b78ae7b32642d8e6184898862edbfc21e1a60ea43a2fad4961a42320328eb3e18ddd25bbc7f2060423f10ef87c97b28bd99b4437d6dc7d26307578e0e12d3921c10ee9ba8679a8f5fcb699c8ecbdba1cf63e77a6fd856db7c8ebf265904e5209a10d01e8cc0c0b25b45ce9949daa98940ea5a8e92419d6da8e2d87bfcdef30203010001";
const KAT_RSA2048_PKCS1_SHA256_SIG: &str = "1762efd9b8b7d96e6bae7d0ef4af0481248c53f37393d0ceb3af17e9a3b6703fbf091c7d5ec19a78e9671174011ec36a0977d90d7fb6fb629d0c57a782863196275c7a6cc35b708be7216266b0aa0db4838875094a6e9b47d1e60a27d8b59bcdb731e07eecbf6421fcd9fc70d20a454945e3959bce1790b76acb92e66f29bb94ea0f4ed9f36c18c06e4f6ac8bfbd6b3eafd372ff90107802a24bf87f9c8f88c80d35ebd2f0a748fea4938fdde01c4f052dbfd1cf44ba1ed4cb09a1f0c69a71cf09fac84f177105537c370a10058ca524b992b3dd98a12ef48b2013cb6420aeb2ae87df9c825eb134d882bd45250b6129ce53ec24e116e190cbe564f142635fa9";
const KAT_RSA4096_PSS_SHA384_SPKI: &str = "30820222300d06092a864886f70d01010105000382020f003082020a0282020100f713d0681f5611d2d214177b9a24d2ef3067131cd0f6305a85504aef9eafcae2b0e8d2715c0fe3cb72c772f5d53c48b5711c713cce474b3da6cb57e80ac0e908d354f183d716000028c206226acfdb79ac1e9ed1706404dcd7bbcb9d78de753b690971afafd9c2e1010ec7f29fcf9899fe568f5e53eee82a2f39e70925e3957c3348a4134252466fb4ea0c23cfb95cef299880d0c4e497b925a655b28f5a63c89d44eed732b37e155413261e7031ea8b739fc982e999e6dd1ace0eea456281c67fb66935cc32108433311b0a1dfe05fd2b665a089f4ac672c035250adf914712b7a037383c61aaf1cffbcb6a34668899d44927f2a83ed6b9a77ab022fa2600250e2f6442e887e2c45a78ae3ad1b4cd76b3090d25f9530bff2f4ae6b25b52ecbb3b9f02de6decf65bd15508ca40546c9d95177a33c1a7fc8ffaba05f311bb2180051e4caef1a768efe0918b2dfbc3e52773124a436f2071948389627667199f03981b1116d3355a53043cfb654fbb01722cc52a6efa474070458e0bdd91936d9ce7bdd0c6ab75a0f1c3f106e5734c3e379235aa966ee850540ef51a8e1651fa65ea72d6a15a734b7fb4fcdbd82624c8da5914bde80fa2444724ea0673df42150cb399775e1ee87e2ffe1c8e43498371c8a357cdf341efd68501204b9ea10ccb587660a2dcb0e9ac4bf68297748da9f1ffe462d8c09c3c1a6fe3160679318d46290203010001";
const KAT_RSA4096_PSS_SHA384_SIG: &str = "ca48996a98b3ab1bf40f9358e2eadb5eab9efce0b388973baa1e9354257c5e048d8f5ac2eacdf08308909f1c459631bf34bb45ff28ed6842c00c13515030e0ffb306072094b7ffa844311ea84f41c861c81ffae7e48e8172bef4027e40ef3a37e990956ab3fa60053dd0fc128e95dc7335998cfe3aca64a7859f17451bf4120cbf38f6ee1005376266cc36cd5800e803b13e9547ebd8d8bb5b220fe64f5b57e001be6a9a341f7b04dfed07d9de36fd606cf3f51428028b2b2ea2a23faf362a69b0c0f965dd946ea6a80a0b7ac16c8a6db21d214750481b0c2b4b2497ee30363c5689db4165a39111a3a9984fd5f1ec3cc4cc6b1559aea1c6a4bcd6834a74ebcfe7eda8427050dc2b11fb07256adae257e78841df3ab996e156f4500b9c886dd802da4517d2d504a9f13180df808628d2454dab022181dde3b2c441eeb1248ded849a56c2a52ee9645660bde8b075295cf92abda99f29ce75f95047e49711393ac8ae6b0c0041fa7fbafa24acb5db323d5ebc4f7d7dff88ea6f35dbe64c5ff4aa1b8ca7b4932c1372f07c63a92637f4ca74889fefffd7b9a465ed1f711c2f6cbae2cb057e3a4f64b8ad1f1c27a8c9f2c0ea623e40b00ad4f97eb2ba1840e0aa113971507423cda3275fca2ae3832d41f347269990a96b9199d9494cce93ca92ad6695b2c8187904212ed81cb63acff7249d523a41441673d8063c6a2c7dbfdc78";

fn providers() -> [&'static dyn Provider; 3] {
    [&AwsLc, &RustCrypto, default_provider()]
}

#[test]
fn known_answers_verify_under_each_provider() {
    let ecdsa = [
        (
            KAT_P256_SHA256_SPKI,
            KAT_P256_SHA256_SIG_DER,
            Curve::P256,
            HashAlg::Sha256,
        ),
        (
            KAT_P384_SHA384_SPKI,
            KAT_P384_SHA384_SIG_DER,
            Curve::P384,
            HashAlg::Sha384,
        ),
        (
            KAT_P384_SHA256_SPKI,
            KAT_P384_SHA256_SIG_DER,
            Curve::P384,
            HashAlg::Sha256,
        ),
    ];
    let rsa = [
        (
            KAT_RSA2048_PKCS1_SHA256_SPKI,
            KAT_RSA2048_PKCS1_SHA256_SIG,
            SignatureAlg::RsaPkcs1 {
                hash: HashAlg::Sha256,
            },
        ),
        (
            KAT_RSA4096_PSS_SHA384_SPKI,
            KAT_RSA4096_PSS_SHA384_SIG,
            SignatureAlg::RsaPss {
                hash: HashAlg::Sha384,
            },
        ),
    ];
    for provider in providers() {
        for (spki, sig, curve, hash) in ecdsa {
            let spki = hex::decode(spki).unwrap();
            let sig = hex::decode(sig).unwrap();
            let alg = SignatureAlg::Ecdsa { curve, hash };
            provider
                .verify(
                    alg,
                    PublicKey::Spki(&spki),
                    KAT_MESSAGE,
                    Signature::EcdsaDer(&sig),
                )
                .unwrap_or_else(|e| panic!("{} {curve:?}: {e}", provider.name()));
            assert_eq!(
                provider.verify(
                    alg,
                    PublicKey::Spki(&spki),
                    MESSAGE,
                    Signature::EcdsaDer(&sig)
                ),
                Err(CryptoError::BadSignature)
            );
        }
        for (spki, sig, alg) in rsa {
            let spki = hex::decode(spki).unwrap();
            let sig = hex::decode(sig).unwrap();
            provider
                .verify(
                    alg,
                    PublicKey::Spki(&spki),
                    KAT_MESSAGE,
                    Signature::Rsa(&sig),
                )
                .unwrap_or_else(|e| panic!("{} {alg:?}: {e}", provider.name()));
            let (n, e) = rsa_components(&spki);
            provider
                .verify(
                    alg,
                    PublicKey::Rsa { n: &n, e: &e },
                    KAT_MESSAGE,
                    Signature::Rsa(&sig),
                )
                .unwrap();
            assert_eq!(
                provider.verify(alg, PublicKey::Spki(&spki), MESSAGE, Signature::Rsa(&sig)),
                Err(CryptoError::BadSignature)
            );
        }
    }
}

#[test]
fn default_provider_is_aws_lc_even_with_rustcrypto_enabled() {
    assert_eq!(default_provider().name(), "aws-lc-rs");
    assert_eq!(AwsLc.name(), "aws-lc-rs");
    assert_eq!(RustCrypto.name(), "rustcrypto");
}

/// `RsaSigningKey` (the mock's ARK and ASK signer): RSA-PSS signatures for every hash verify
/// under both providers, one-shot and with a parsed key, and a flipped bit fails under both.
#[test]
fn rsa_pss_signing_key_signatures_verify_under_both_providers() {
    use attester_core::crypto::RsaSigningKey;
    let key = RsaSigningKey::from_pkcs8_der(&pem_body(RSA4096)).unwrap();
    let spki = Key::Spki(key.spki_der().to_vec());
    let message = b"tbsCertificate stand-in";
    for hash in [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512] {
        let alg = SignatureAlg::RsaPss { hash };
        let mut sig = Sig::Rsa(key.sign_pss(hash, message).unwrap());
        assert_eq!(
            both(alg, &spki, message, &sig, "RsaSigningKey"),
            Verdict::Ok
        );
        // A bit of the last byte: the value stays below the modulus, so it is a bad signature
        // rather than a malformed one.
        let bit = sig.bytes_mut().len() * 8 - 3;
        flip(sig.bytes_mut(), bit);
        assert_eq!(
            both(alg, &spki, message, &sig, "RsaSigningKey flipped"),
            Verdict::BadSignature
        );
    }
    assert!(RsaSigningKey::from_pkcs8_der(b"not a key").is_err());
}
