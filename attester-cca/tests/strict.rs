//! Strict decoding: wrong types, sizes, duplicate keys, trailing bytes, unknown tags and
//! missing claims are typed errors; both RAK encodings decode to the same key.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use attester_cca::claims::*;
use attester_cca::{CcaToken, Part, Rak, RakEncoding, RealmClaims, TokenError};
use attester_core::ErrorKind;
use attester_core::crypto::Curve;
use minicbor::Encoder;
use minicbor::data::Tag;

/// A claim value, already encoded.
type Entry = (i64, Vec<u8>);

fn enc(f: impl FnOnce(&mut Encoder<&mut Vec<u8>>)) -> Vec<u8> {
    let mut out = Vec::new();
    f(&mut Encoder::new(&mut out));
    out
}

fn bstr(bytes: &[u8]) -> Vec<u8> {
    enc(|e| {
        e.bytes(bytes).unwrap();
    })
}

fn tstr(text: &str) -> Vec<u8> {
    enc(|e| {
        e.str(text).unwrap();
    })
}

fn uint(v: u64) -> Vec<u8> {
    enc(|e| {
        e.u64(v).unwrap();
    })
}

fn map(entries: &[Entry]) -> Vec<u8> {
    let mut out = enc(|e| {
        e.map(entries.len() as u64).unwrap();
    });
    for (key, value) in entries {
        out.extend(enc(|e| {
            e.i64(*key).unwrap();
        }));
        out.extend(value);
    }
    out
}

fn raw_rak() -> Vec<u8> {
    let mut point = vec![0x04];
    point.extend([0x11; 96]);
    point
}

fn cose_rak() -> Vec<u8> {
    map(&[
        (1, uint(2)),
        (-1, uint(2)),
        (-2, bstr(&[0x11; 48])),
        (-3, bstr(&[0x11; 48])),
    ])
}

fn realm_entries() -> Vec<Entry> {
    let rems = {
        let mut out = enc(|e| {
            e.array(4).unwrap();
        });
        for _ in 0..4 {
            out.extend(bstr(&[0; 32]));
        }
        out
    };
    vec![
        (REALM_CHALLENGE, bstr(&[0xab; 64])),
        (REALM_PROFILE, tstr(PROFILE_REALM_1_0)),
        (REALM_PERSONALIZATION_VALUE, bstr(&[0; 64])),
        (REALM_HASH_ALGORITHM, tstr("sha-256")),
        (REALM_PUBLIC_KEY, bstr(&cose_rak())),
        (REALM_INITIAL_MEASUREMENT, bstr(&[0; 32])),
        (REALM_EXTENSIBLE_MEASUREMENTS, rems),
        (REALM_PUBLIC_KEY_HASH_ALGORITHM, tstr("sha-256")),
    ]
}

fn with(mut entries: Vec<Entry>, key: i64, value: Vec<u8>) -> Vec<Entry> {
    entries.retain(|(k, _)| *k != key);
    entries.push((key, value));
    entries
}

fn without(mut entries: Vec<Entry>, key: i64) -> Vec<Entry> {
    entries.retain(|(k, _)| *k != key);
    entries
}

#[track_caller]
fn realm_err(entries: &[Entry]) -> TokenError {
    RealmClaims::decode(&map(entries)).unwrap_err()
}

#[test]
fn a_well_formed_realm_map_decodes() {
    let bytes = map(&realm_entries());
    let claims = RealmClaims::decode(&bytes).unwrap();
    assert_eq!(claims.challenge(), &[0xab; 64]);
    assert_eq!(claims.profile(), Some(PROFILE_REALM_1_0));
    assert_eq!(claims.public_key().encoding(), RakEncoding::CoseKey);
    assert_eq!(claims.mec_policy(), None);
    assert_eq!(claims.instance_id(), None);
}

#[test]
fn rmm_2_claims_decode() {
    let mut ueid = vec![0x01];
    ueid.extend([7; 32]);
    let entries = with(realm_entries(), REALM_INSTANCE_ID, bstr(&ueid));
    let entries = with(entries, REALM_MEC_POLICY, uint(1));
    let entries = with(entries, REALM_LFA_POLICY, uint(0));
    let entries = with(entries, REALM_DEVICES_TOKEN_HASH, bstr(&[9; 48]));
    let bytes = map(&entries);
    let claims = RealmClaims::decode(&bytes).unwrap();
    assert_eq!(claims.instance_id(), Some(ueid.as_slice()));
    assert_eq!(claims.mec_policy(), Some(1));
    assert_eq!(claims.lfa_policy(), Some(0));
    assert_eq!(claims.devices_token_hash(), Some(&[9u8; 48][..]));
    // A ueid of another type, a policy outside 0/1.
    let mut bad = ueid.clone();
    bad[0] = 0x02;
    assert!(matches!(
        realm_err(&with(realm_entries(), REALM_INSTANCE_ID, bstr(&bad))),
        TokenError::BadValue { .. }
    ));
    assert!(matches!(
        realm_err(&with(realm_entries(), REALM_MEC_POLICY, uint(2))),
        TokenError::BadValue { .. }
    ));
}

#[test]
fn every_mandatory_realm_claim_is_required() {
    for key in [
        REALM_CHALLENGE,
        REALM_PERSONALIZATION_VALUE,
        REALM_HASH_ALGORITHM,
        REALM_PUBLIC_KEY,
        REALM_INITIAL_MEASUREMENT,
        REALM_EXTENSIBLE_MEASUREMENTS,
        REALM_PUBLIC_KEY_HASH_ALGORITHM,
    ] {
        assert_eq!(
            realm_err(&without(realm_entries(), key)),
            TokenError::Missing {
                part: Part::Realm,
                key
            }
        );
    }
    // The profile is optional (tokens before RMM 1.0-rel0 have none).
    RealmClaims::decode(&map(&without(realm_entries(), REALM_PROFILE))).unwrap();
}

#[test]
fn wrong_sizes_are_refused() {
    for (key, value) in [
        (REALM_CHALLENGE, bstr(&[0; 63])),
        (REALM_CHALLENGE, bstr(&[0; 65])),
        (REALM_PERSONALIZATION_VALUE, bstr(&[0; 32])),
        (REALM_INITIAL_MEASUREMENT, bstr(&[0; 20])),
        (REALM_INSTANCE_ID, bstr(&[1; 32])),
    ] {
        assert!(
            matches!(
                realm_err(&with(realm_entries(), key, value)),
                TokenError::WrongSize { key: k, .. } if k == key
            ),
            "key {key}"
        );
    }
    // Three REMs, and a REM of the wrong size.
    let three = {
        let mut out = enc(|e| {
            e.array(3).unwrap();
        });
        for _ in 0..3 {
            out.extend(bstr(&[0; 32]));
        }
        out
    };
    assert!(matches!(
        realm_err(&with(realm_entries(), REALM_EXTENSIBLE_MEASUREMENTS, three)),
        TokenError::BadValue { .. }
    ));
    let short = {
        let mut out = enc(|e| {
            e.array(4).unwrap();
        });
        for len in [32, 32, 31, 32] {
            out.extend(bstr(&vec![0; len]));
        }
        out
    };
    assert!(matches!(
        realm_err(&with(realm_entries(), REALM_EXTENSIBLE_MEASUREMENTS, short)),
        TokenError::WrongSize { .. }
    ));
}

#[test]
fn wrong_types_are_refused() {
    for (key, value) in [
        (REALM_CHALLENGE, tstr("not bytes")),
        (REALM_PROFILE, bstr(b"not text")),
        (REALM_HASH_ALGORITHM, uint(1)),
        (REALM_PUBLIC_KEY, tstr("key")),
        (REALM_EXTENSIBLE_MEASUREMENTS, bstr(&[0; 32])),
        (REALM_MEC_POLICY, tstr("1")),
    ] {
        assert!(
            matches!(
                realm_err(&with(realm_entries(), key, value)),
                TokenError::WrongType { key: k, .. } if k == key
            ),
            "key {key}"
        );
    }
    // A text key.
    let mut bytes = map(&realm_entries());
    bytes[0] += 1;
    bytes.extend(tstr("extra"));
    bytes.extend(uint(1));
    assert!(matches!(
        RealmClaims::decode(&bytes).unwrap_err(),
        TokenError::WrongType { .. }
    ));
    // Indefinite-length map.
    let mut bytes = map(&realm_entries());
    bytes[0] = 0xbf;
    bytes.push(0xff);
    assert!(matches!(
        RealmClaims::decode(&bytes).unwrap_err(),
        TokenError::WrongType { .. }
    ));
}

#[test]
fn duplicates_and_trailing_bytes_are_refused() {
    let mut entries = realm_entries();
    entries.push((REALM_CHALLENGE, bstr(&[0xab; 64])));
    assert_eq!(
        realm_err(&entries),
        TokenError::DuplicateKey {
            part: Part::Realm,
            key: REALM_CHALLENGE
        }
    );
    // Duplicate unknown keys too.
    let mut entries = realm_entries();
    entries.push((99, uint(1)));
    entries.push((99, uint(2)));
    assert!(matches!(
        realm_err(&entries),
        TokenError::DuplicateKey { key: 99, .. }
    ));
    let mut bytes = map(&realm_entries());
    bytes.push(0);
    assert_eq!(
        RealmClaims::decode(&bytes).unwrap_err(),
        TokenError::Trailing {
            part: Part::Realm,
            count: 1
        }
    );
}

#[test]
fn unknown_claims_are_skipped_and_listed() {
    let mut entries = realm_entries();
    entries.push((-70000, tstr("future")));
    let bytes = map(&entries);
    RealmClaims::decode(&bytes).unwrap();
    assert_eq!(unknown_claim_keys(&bytes, &REALM_KNOWN), vec![-70000]);
}

#[test]
fn both_rak_encodings_give_the_same_key() {
    let raw = raw_rak();
    let cose = cose_rak();
    let a = Rak::decode(&raw).unwrap();
    let b = Rak::decode(&cose).unwrap();
    assert_eq!(a.encoding(), RakEncoding::RawPoint);
    assert_eq!(b.encoding(), RakEncoding::CoseKey);
    assert_eq!(a.sec1_point(), b.sec1_point());
    assert_eq!(a.curve(), Curve::P384);
    assert_eq!(b.claim_bytes(), cose.as_slice());
    // P-256 both ways.
    let mut raw256 = vec![0x04];
    raw256.extend([5; 64]);
    let cose256 = map(&[
        (1, uint(2)),
        (-1, uint(1)),
        (-2, bstr(&[5; 32])),
        (-3, bstr(&[5; 32])),
    ]);
    assert_eq!(
        Rak::decode(&raw256).unwrap().sec1_point(),
        Rak::decode(&cose256).unwrap().sec1_point()
    );
}

#[test]
fn bad_raks_are_refused() {
    let cases: Vec<Vec<u8>> = vec![
        vec![],
        vec![0x04; 96],
        vec![0x02; 49],
        map(&[
            (1, uint(3)),
            (-1, uint(2)),
            (-2, bstr(&[1; 48])),
            (-3, bstr(&[1; 48])),
        ]),
        map(&[
            (1, uint(2)),
            (-1, uint(7)),
            (-2, bstr(&[1; 48])),
            (-3, bstr(&[1; 48])),
        ]),
        map(&[
            (1, uint(2)),
            (-1, uint(2)),
            (-2, bstr(&[1; 47])),
            (-3, bstr(&[1; 48])),
        ]),
        map(&[(1, uint(2)), (-1, uint(2)), (-2, bstr(&[1; 48]))]),
        map(&[
            (1, uint(2)),
            (1, uint(2)),
            (-1, uint(2)),
            (-2, bstr(&[1; 48])),
            (-3, bstr(&[1; 48])),
        ]),
    ];
    for case in &cases {
        let err = Rak::decode(case).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed, "{case:02x?}: {err}");
    }
    let mut trailing = cose_rak();
    trailing.push(0);
    assert!(matches!(
        Rak::decode(&trailing).unwrap_err(),
        TokenError::Trailing { .. }
    ));
    let mut p521 = vec![0x04];
    p521.extend([1; 132]);
    assert_eq!(
        Rak::decode(&p521).unwrap_err().kind(),
        ErrorKind::Unsupported
    );
}

fn collection(tag: u64, entries: &[(i64, Vec<u8>)]) -> Vec<u8> {
    let mut out = enc(|e| {
        e.tag(Tag::new(tag)).unwrap();
    });
    out.extend(map(entries));
    out
}

#[test]
fn collection_tags_and_entries_are_strict() {
    // Unknown tag, no tag.
    let entries = [(44234, bstr(b"x")), (44241, bstr(b"y"))];
    assert!(matches!(
        CcaToken::decode(&collection(400, &entries)).unwrap_err(),
        TokenError::UnknownTag { tag: 400, .. }
    ));
    assert!(matches!(
        CcaToken::decode(&map(&entries)).unwrap_err(),
        TokenError::UnknownTag { tag: 0, .. }
    ));
    // A CMW record of the wrong content format, or of three items.
    let record = |cf: u64| {
        let mut out = enc(|e| {
            e.array(2).unwrap().u64(cf).unwrap();
        });
        out.extend(bstr(b"x"));
        out
    };
    let wrong_cf = [(44234, record(264)), (44241, record(263))];
    assert!(matches!(
        CcaToken::decode(&collection(907, &wrong_cf)).unwrap_err(),
        TokenError::BadValue { key: 44234, .. }
    ));
    // Entries that are not COSE_Sign1.
    let err = CcaToken::decode(&collection(907, &[(44234, record(263))])).unwrap_err();
    assert_eq!(err.part(), Part::Platform);
    // Duplicate label (checked before the second value is decoded).
    let dup = [(7, uint(1)), (7, uint(1))];
    assert!(matches!(
        CcaToken::decode(&collection(399, &dup)).unwrap_err(),
        TokenError::DuplicateKey { key: 7, .. }
    ));
    // Neither token present.
    assert!(matches!(
        CcaToken::decode(&collection(907, &[(7, uint(1))])).unwrap_err(),
        TokenError::Missing { key: 44234, .. }
    ));
}
