//! `PublicKey::to_spki_der`: the same key in any of its encodings gives the same SPKI bytes.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use attester_core::crypto::{Curve, EcdsaSigningKey, PublicKey};

#[test]
fn ec_keys_have_one_spki() {
    for curve in [Curve::P256, Curve::P384] {
        let key = EcdsaSigningKey::from_seed(curve, b"spki", b"canonical").unwrap();
        let spki = key.spki_der().unwrap();
        let point = PublicKey::EcPoint {
            curve,
            sec1: key.public_sec1(),
        };
        assert_eq!(point.to_spki_der().unwrap(), spki);
        assert_eq!(PublicKey::Spki(&spki).to_spki_der().unwrap(), spki);
    }
}

#[test]
fn rsa_keys_have_one_spki_whatever_the_leading_zeros() {
    let mut n = vec![0xc5u8; 256];
    n[255] |= 1;
    let padded: Vec<u8> = [&[0u8, 0][..], &n].concat();
    let a = PublicKey::Rsa {
        n: &n,
        e: &[1, 0, 1],
    }
    .to_spki_der()
    .unwrap();
    let b = PublicKey::Rsa {
        n: &padded,
        e: &[0, 1, 0, 1],
    }
    .to_spki_der()
    .unwrap();
    assert_eq!(a, b);
    assert_eq!(PublicKey::Spki(&a).to_spki_der().unwrap(), a);
    assert!(PublicKey::Spki(&a[..a.len() - 1]).to_spki_der().is_err());
}
