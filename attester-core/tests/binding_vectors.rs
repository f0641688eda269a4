//! The test vectors of `docs/binding.md`, read from the document itself.
// Helpers outside `#[test]` functions build fixtures; a failure there should fail loudly too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use attester_core::{BinderHash, Binding, BindingMode, ErrorKind, FillRule};

const DOC: &str = include_str!("../../docs/binding.md");

struct Vector {
    name: String,
    hash: BinderHash,
    spki: Vec<u8>,
    exporter: Vec<u8>,
    binder: Vec<u8>,
    field: Option<Vec<u8>>,
}

fn vectors() -> Vec<Vector> {
    let block = DOC
        .split("```vectors")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/binding.md has a ```vectors block");
    block
        .split("\n\n")
        .filter(|chunk| !chunk.trim().is_empty())
        .map(|chunk| {
            let get = |key: &str| {
                chunk
                    .lines()
                    .find_map(|line| line.strip_prefix(&format!("{key}: ")))
                    .map(str::to_owned)
            };
            let bytes = |key: &str| hex::decode(get(key).expect(key)).expect(key);
            Vector {
                name: get("vector").expect("vector name"),
                hash: BinderHash::from_name(&get("hash").expect("hash")).unwrap(),
                spki: bytes("spki"),
                exporter: bytes("exporter"),
                binder: bytes("binder"),
                field: get("field").map(|h| hex::decode(h).unwrap()),
            }
        })
        .collect()
}

#[test]
fn document_vectors_hold() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 4, "every vector block is read");
    for v in &vectors {
        let binding = Binding::tls_exporter(&v.exporter, &v.spki, v.hash).unwrap();
        assert_eq!(
            binding.challenge().as_bytes(),
            v.binder.as_slice(),
            "{}",
            v.name
        );
        assert!(matches!(
            binding.mode(),
            BindingMode::TlsExporter { hash, label } if *hash == v.hash && label == "Attestation"
        ));
        if let Some(field) = &v.field {
            let filled = FillRule::ZeroPad { field_len: 64 }
                .fill(binding.challenge())
                .unwrap();
            assert_eq!(filled.as_bytes(), field.as_slice(), "{}", v.name);
        }
    }
}

#[test]
fn refused_inputs_are_malformed() {
    let v = &vectors()[0];
    let mut long = v.exporter.clone();
    long.push(0);
    let mut spki_extra = v.spki.clone();
    spki_extra.push(0);
    let cases: [(&[u8], &[u8]); 5] = [
        (&v.exporter[..31], &v.spki),
        (&long, &v.spki),
        (&v.exporter, &spki_extra),
        (&v.exporter, &v.spki[..v.spki.len() - 1]),
        (&v.exporter, &[]),
    ];
    for (exporter, spki) in cases {
        let err = Binding::tls_exporter(exporter, spki, v.hash).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed);
    }
}

#[test]
fn hash_choice_changes_the_binder() {
    let v = &vectors()[0];
    let a = Binding::tls_exporter(&v.exporter, &v.spki, BinderHash::Sha256).unwrap();
    let b = Binding::tls_exporter(&v.exporter, &v.spki, BinderHash::Sha384).unwrap();
    assert_eq!(a.challenge().len(), 32);
    assert_eq!(b.challenge().len(), 48);
    assert_ne!(a.challenge().as_bytes(), &b.challenge().as_bytes()[..32]);
}
